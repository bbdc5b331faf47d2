-- Written by watcher-link-reconciler 0.1.0 (before the run vocabulary): an apply run over
-- RegistryFixture's round-robin Mix[live=10, archived=2, gone=8, mismatched=1, notFoundUnconfirmed=2, transientAlways=1, flakyThenLive=0, malformed=2, withoutPointer=0],
-- --chunk-size=4 --concurrency=1, failed at its third chunk (Watcher revoked the key).
COPY information.info_items FROM stdin;
01HZZ000000000000000000001	InfoItem 01HZZ000000000000000000001	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER00000000000001
01HZZ000000000000000000002	InfoItem 01HZZ000000000000000000002	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER00000000000002
01HZZ000000000000000000004	InfoItem 01HZZ000000000000000000004	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER00000000000004
01HZZ000000000000000000005	InfoItem 01HZZ000000000000000000005	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER00000000000005
01HZZ000000000000000000006	InfoItem 01HZZ000000000000000000006	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER00000000000006
01HZZ000000000000000000007	InfoItem 01HZZ000000000000000000007	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	
01HZZ000000000000000000008	InfoItem 01HZZ000000000000000000008	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER00000000000008
01HZZ000000000000000000009	InfoItem 01HZZ000000000000000000009	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER00000000000009
01HZZ00000000000000000000A	InfoItem 01HZZ00000000000000000000A	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000A
01HZZ00000000000000000000B	InfoItem 01HZZ00000000000000000000B	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000B
01HZZ00000000000000000000C	InfoItem 01HZZ00000000000000000000C	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	   
01HZZ00000000000000000000D	InfoItem 01HZZ00000000000000000000D	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000D
01HZZ00000000000000000000E	InfoItem 01HZZ00000000000000000000E	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000E
01HZZ00000000000000000000F	InfoItem 01HZZ00000000000000000000F	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000F
01HZZ00000000000000000000G	InfoItem 01HZZ00000000000000000000G	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000G
01HZZ00000000000000000000H	InfoItem 01HZZ00000000000000000000H	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000H
01HZZ00000000000000000000J	InfoItem 01HZZ00000000000000000000J	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000J
01HZZ00000000000000000000K	InfoItem 01HZZ00000000000000000000K	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000K
01HZZ00000000000000000000M	InfoItem 01HZZ00000000000000000000M	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000M
01HZZ00000000000000000000N	InfoItem 01HZZ00000000000000000000N	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000N
01HZZ00000000000000000000P	InfoItem 01HZZ00000000000000000000P	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000P
01HZZ00000000000000000000Q	InfoItem 01HZZ00000000000000000000Q	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000Q
01HZZ00000000000000000000R	InfoItem 01HZZ00000000000000000000R	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000R
01HZZ00000000000000000000S	InfoItem 01HZZ00000000000000000000S	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000S
01HZZ00000000000000000000T	InfoItem 01HZZ00000000000000000000T	\N	archiver-tests	2026-01-01 00:00:00+00	2026-01-01 00:00:00+00	{"kind": "fixture"}	01HZZWATCHER0000000000000T
01HZZ000000000000000000003	InfoItem 01HZZ000000000000000000003	\N	archiver-tests	2026-01-01 00:00:00+00	2026-12-01 05:49:36.774301+00	{"kind": "fixture"}	\N
\.
COPY information.watch_status FROM stdin;
01HZZ000000000000000000001	ok	2026-01-01 00:00:00+00
01HZZ000000000000000000002	ok	2026-01-01 00:00:00+00
01HZZ000000000000000000004	ok	2026-01-01 00:00:00+00
01HZZ000000000000000000005	ok	2026-01-01 00:00:00+00
01HZZ000000000000000000006	ok	2026-01-01 00:00:00+00
01HZZ000000000000000000007	ok	2026-01-01 00:00:00+00
01HZZ000000000000000000008	ok	2026-01-01 00:00:00+00
01HZZ000000000000000000009	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000A	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000B	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000C	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000D	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000E	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000F	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000G	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000H	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000J	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000K	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000M	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000N	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000P	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000Q	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000R	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000S	ok	2026-01-01 00:00:00+00
01HZZ00000000000000000000T	ok	2026-01-01 00:00:00+00
\.
COPY watcher_link_reconciler.batch_job_instance FROM stdin;
1	0	watcherLinkReconcileJob	e795704e374e3b8e33f3ca82e7b581d8
\.
COPY watcher_link_reconciler.batch_job_execution FROM stdin;
1	3	1	2026-12-01 05:49:36.533998	2026-12-01 05:49:36.558222	2026-12-01 05:49:37.344911	FAILED	FAILED	org.springframework.batch.core.step.FatalStepExecutionException: Unable to process chunk\n\tat org.springframework.batch.core.step.item.ChunkOrientedStep.processChunkConcurrently(ChunkOrientedStep.java:711)\n\tat org.springframework.batch.core.step.item.ChunkOrientedStep.processNextChunk(ChunkOrientedStep.java:605)\n\tat org.springframework.batch.core.step.item.ChunkOrientedStep.lambda$doExecute$0(ChunkOrientedStep.java:458)\n\tat org.springframework.transaction.support.TransactionOperations.lambda$executeWithoutResult$0(TransactionOperations.java:68)\n\tat org.springframework.transaction.support.TransactionTemplate.execute(TransactionTemplate.java:137)\n\tat org.springframework.transaction.support.TransactionOperations.executeWithoutResult(TransactionOperations.java:67)\n\tat org.springframework.batch.core.step.item.ChunkOrientedStep.doExecute(ChunkOrientedStep.java:449)\n\tat org.springframework.batch.core.step.AbstractStep.execute(AbstractStep.java:254)\n\tat org.springframework.batch.core.job.SimpleStepHandler.handleStep(SimpleStepHandler.java:136)\n\tat org.springframework.batch.core.job.AbstractJob.handleStep(AbstractJob.java:399)\n\tat org.springframework.batch.core.job.SimpleJob.doExecute(SimpleJob.java:131)\n\tat org.springframework.batch.core.job.AbstractJob.execute(AbstractJob.java:295)\n\tat org.springframework.batch.core.launch.support.TaskExecutorJobLauncher$1.run(TaskExecutorJobLauncher.java:207)\n\tat org.springframework.core.task.SyncTaskExecutor.execute(SyncTaskExecutor.java:88)\n\tat org.springframework.batch.core.launch.support.TaskExecutorJobLauncher.launchJobExecution(TaskExecutorJobLauncher.java:198)\n\tat org.springframework.batch.core.launch.support.TaskExecutorJobLauncher.run(TaskExecutorJobLauncher.java:108)\n\tat org.springframework.batch.core.launch.support.SimpleJobOperator.start(SimpleJobOperator.java:201)\n\tat org.springframework.batch.core.launch.support.TaskExecutorJobOperator.start(TaskExecutorJobOperator.java:117)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)\n\tat java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)\n\tat java.base/java.lang.reflect.Method.invoke(Method.java:569)\n\tat org.springframework.aop.support.AopUtils.invokeJoinpointUsingReflection(AopUtils.java:359)\n\tat org.springframework.aop.framework.ReflectiveMethodInvocation.invokeJoinpoint(ReflectiveMethodInv	2026-12-01 05:49:37.354438
\.
COPY watcher_link_reconciler.batch_job_execution_params FROM stdin;
1	mode	java.lang.String	apply	Y
1	partitions	java.lang.Long	1	Y
1	partition	java.lang.Long	0	Y
1	runKey	java.lang.String	2026-12-01T05:49:36.499278486Z	Y
\.
COPY watcher_link_reconciler.batch_job_execution_context FROM stdin;
1	rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAABdAANYmF0Y2gudmVyc2lvbnQABTYuMC42eA==	\N
\.
COPY watcher_link_reconciler.batch_step_execution FROM stdin;
1	5	classifyAndClearStep	1	2026-12-01 05:49:36.575476	2026-12-01 05:49:36.579837	2026-12-01 05:49:37.264234	FAILED	2	12	0	8	0	0	0	1	FAILED	org.springframework.batch.core.step.FatalStepExecutionException: Unable to process chunk\n\tat org.springframework.batch.core.step.item.ChunkOrientedStep.processChunkConcurrently(ChunkOrientedStep.java:711)\n\tat org.springframework.batch.core.step.item.ChunkOrientedStep.processNextChunk(ChunkOrientedStep.java:605)\n\tat org.springframework.batch.core.step.item.ChunkOrientedStep.lambda$doExecute$0(ChunkOrientedStep.java:458)\n\tat org.springframework.transaction.support.TransactionOperations.lambda$executeWithoutResult$0(TransactionOperations.java:68)\n\tat org.springframework.transaction.support.TransactionTemplate.execute(TransactionTemplate.java:137)\n\tat org.springframework.transaction.support.TransactionOperations.executeWithoutResult(TransactionOperations.java:67)\n\tat org.springframework.batch.core.step.item.ChunkOrientedStep.doExecute(ChunkOrientedStep.java:449)\n\tat org.springframework.batch.core.step.AbstractStep.execute(AbstractStep.java:254)\n\tat org.springframework.batch.core.job.SimpleStepHandler.handleStep(SimpleStepHandler.java:136)\n\tat org.springframework.batch.core.job.AbstractJob.handleStep(AbstractJob.java:399)\n\tat org.springframework.batch.core.job.SimpleJob.doExecute(SimpleJob.java:131)\n\tat org.springframework.batch.core.job.AbstractJob.execute(AbstractJob.java:295)\n\tat org.springframework.batch.core.launch.support.TaskExecutorJobLauncher$1.run(TaskExecutorJobLauncher.java:207)\n\tat org.springframework.core.task.SyncTaskExecutor.execute(SyncTaskExecutor.java:88)\n\tat org.springframework.batch.core.launch.support.TaskExecutorJobLauncher.launchJobExecution(TaskExecutorJobLauncher.java:198)\n\tat org.springframework.batch.core.launch.support.TaskExecutorJobLauncher.run(TaskExecutorJobLauncher.java:108)\n\tat org.springframework.batch.core.launch.support.SimpleJobOperator.start(SimpleJobOperator.java:201)\n\tat org.springframework.batch.core.launch.support.TaskExecutorJobOperator.start(TaskExecutorJobOperator.java:117)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)\n\tat java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)\n\tat java.base/java.lang.reflect.Method.invoke(Method.java:569)\n\tat org.springframework.aop.support.AopUtils.invokeJoinpointUsingReflection(AopUtils.java:359)\n\tat org.springframework.aop.framework.ReflectiveMethodInvocation.invokeJoinpoint(ReflectiveMethodInv	2026-12-01 05:49:37.27845
\.
COPY watcher_link_reconciler.batch_step_execution_context FROM stdin;
1	rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAABh3CAAAACAAAAAPdAAYcG9pbnRlclJlYWRlci5yZWFkLmNvdW50c3IAEWphdmEubGFuZy5JbnRlZ2VyEuKgpPeBhzgCAAFJAAV2YWx1ZXhyABBqYXZhLmxhbmcuTnVtYmVyhqyVHQuU4IsCAAB4cAAAAAh0ABZyZWNvbmNpbGVyLmNvdW50cy5saXZlc3IADmphdmEubGFuZy5Mb25nO4vkkMyPI98CAAFKAAV2YWx1ZXhxAH4ABAAAAAAAAAACdAAlcmVjb25jaWxlci5jb3VudHMuY2hhbmdlZENvbmN1cnJlbnRseXNxAH4ABwAAAAAAAAAAdAAlcmVjb25jaWxlci5jb3VudHMubm90Rm91bmRVbmNvbmZpcm1lZHNxAH4ABwAAAAAAAAABdAAZcmVjb25jaWxlci5jb3VudHMuY2xlYXJlZHEAfgAMdAAacmVjb25jaWxlci5jb3VudHMuYXJjaGl2ZWRxAH4ADHQAG3JlY29uY2lsZXIuY291bnRzLm1hbGZvcm1lZHEAfgAMdAAccmVjb25jaWxlci5jb3VudHMubWlzbWF0Y2hlZHEAfgAMdAAWcmVjb25jaWxlci5jb3VudHMucmVhZHNxAH4ABwAAAAAAAAAIdAAZcG9pbnRlclJlYWRlci5zdGFydC5hZnRlcnNyABdqYXZhLnV0aWwuTGlua2VkSGFzaE1hcDTATlwQbMD7AgABWgALYWNjZXNzT3JkZXJ4cQB+AAA/QAAAAAAADHcIAAAAEAAAAAF0AAxpbmZvX2l0ZW1faWR0ABowMUhaWjAwMDAwMDAwMDAwMDAwMDAwMDAwOHgAdAAccmVjb25jaWxlci5jb3VudHMud291bGRDbGVhcnEAfgAKdAANYmF0Y2gudmVyc2lvbnQABTYuMC42dAAOYmF0Y2guc3RlcFR5cGV0ADpvcmcuc3ByaW5nZnJhbWV3b3JrLmJhdGNoLmNvcmUuc3RlcC5pdGVtLkNodW5rT3JpZW50ZWRTdGVwdAAbcmVjb25jaWxlci5jb3VudHMudHJhbnNpZW50cQB+AAx0ABZyZWNvbmNpbGVyLmNvdW50cy5nb25lcQB+AAx4	\N
\.
COPY watcher_link_reconciler.pointer_clear FROM stdin;
1	1	1	01HZZ000000000000000000003	01HZZWATCHER00000000000003	404	HTTP 404 {"detail":"WatchedItem not found"}	2026-12-01 05:49:36.774301+00
\.
COPY watcher_link_reconciler.pointer_finding FROM stdin;
1	01HZZ000000000000000000004	01HZZWATCHER00000000000004	MISMATCHED	200	HTTP 200 active, links back to InfoItem 01HZZSWAP00000000000000004	1	2026-12-01 05:49:36.774301+00
1	01HZZ000000000000000000005	01HZZWATCHER00000000000005	NOT_FOUND_UNCONFIRMED	404	HTTP 404 {"detail":"Not Found"}	1	2026-12-01 05:49:37.08447+00
1	01HZZ000000000000000000006	01HZZWATCHER00000000000006	TRANSIENT	503	HTTP 503 Service Unavailable (1 attempts)	1	2026-12-01 05:49:37.08447+00
1	01HZZ000000000000000000007		MALFORMED	0	not a ULID, never sent to Watcher	1	2026-12-01 05:49:37.08447+00
\.
COPY watcher_link_reconciler.pointer_restore FROM stdin;
\.
COPY watcher_link_reconciler.reconcile_run FROM stdin;
1	apply	0	1	FAILED	1	WatcherAuthenticationException: Watcher answered HTTP 401 {"detail":"Invalid API key"}: check WATCHER_API_KEY	2026-12-01 05:49:36.558222+00	2026-12-01 05:49:37.344911+00	1	1	8	2	1	1	1	0	0	1	1	1	1	clear	\N	0.5	20	\N	2026-12-01 05:49:37.456718+00
\.
SELECT setval('watcher_link_reconciler.batch_job_instance_seq', 1, true);
SELECT setval('watcher_link_reconciler.batch_job_execution_seq', 1, true);
SELECT setval('watcher_link_reconciler.batch_step_execution_seq', 1, true);
SELECT setval('watcher_link_reconciler.pointer_clear_clear_id_seq', 1, true);
SELECT setval('watcher_link_reconciler.pointer_restore_restore_id_seq', 1, false);
