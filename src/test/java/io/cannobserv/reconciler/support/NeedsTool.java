package io.cannobserv.reconciler.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The annotated test class or method drives a program from outside the JDK, which a
 * newcomer's machine may lack. There it is skipped, each test reported with one line
 * naming the program and the package that installs it. CI runs with
 * {@code -Dreconciler.test.tools=required}, where a missing program fails the test
 * instead, so that it can never be skipped silently where it counts.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(NeedsTool.Condition.class)
public @interface NeedsTool {

	/**
	 * System property that turns a missing tool from a skip into a failure:
	 * {@code required}.
	 */
	String REQUIRED_PROPERTY = "reconciler.test.tools";

	Tool value();

	/** The programs the tests drive, each with the Debian package that installs it. */
	enum Tool {

		CHROMIUM("chromium", "/usr/bin/chromium"), JQ("jq", "jq"),
		PUSHGATEWAY("prometheus-pushgateway", "prometheus-pushgateway", "pushgateway"),
		PROMETHEUS("prometheus", "prometheus"),
		/**
		 * A kustomize of version 4 or later: the one {@code .ci/validate-deploy.sh}
		 * installs in its cache (Debian has none), a {@code kustomize} on the
		 * {@code PATH}, or a recent {@code kubectl}'s.
		 */
		KUSTOMIZE(List.of(validateDeployKustomize(), "kustomize", "kubectl"),
				"run .ci/validate-deploy.sh once, which installs kustomize 4.5.4 in its cache, or install"
						+ " kubectl 1.24 or later");

		private final String install;

		private final List<String> binaries;

		Tool(String debianPackage, String... binaries) {
			this(List.of(binaries), "apt-get install -y " + debianPackage);
		}

		Tool(List<String> binaries, String install) {
			this.install = install;
			this.binaries = binaries;
		}

		private static String validateDeployKustomize() {
			String cache = System.getenv("XDG_CACHE_HOME");
			Path root = (cache != null && !cache.isBlank()) ? Path.of(cache)
					: Path.of(System.getProperty("user.home"), ".cache");
			return root.resolve("watcher-link-reconciler/validate-deploy/kustomize-4.5.4").toString();
		}

		/**
		 * The first of its names: an absolute path, or a command name looked up on the
		 * {@code PATH}.
		 */
		public String binary() {
			return this.binaries.get(0);
		}

		/** Where the first of its names that is installed is, if any is. */
		public Optional<Path> path() {
			String path = System.getenv().getOrDefault("PATH", "");
			return this.binaries.stream()
				.flatMap((name) -> name.startsWith("/") ? Stream.of(Path.of(name))
						: Stream.of(path.split(":")).map((dir) -> Path.of(dir, name)))
				.filter(Files::isExecutable)
				.findFirst();
		}

		public boolean installed() {
			return path().isPresent();
		}

		public String missing() {
			return String.join(" or ", this.binaries) + " is not installed (" + this.install + ")";
		}

	}

	/**
	 * Enables the test where the tool is installed; skips it, or fails it where tools are
	 * required.
	 */
	final class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			Optional<NeedsTool> needs = AnnotationSupport.findAnnotation(context.getElement(), NeedsTool.class);
			if (needs.isEmpty() || needs.get().value().installed()) {
				return ConditionEvaluationResult.enabled("no missing tool");
			}
			Tool tool = needs.get().value();
			if ("required".equals(System.getProperty(NeedsTool.REQUIRED_PROPERTY))) {
				throw new IllegalStateException(tool.missing() + ", and -D" + NeedsTool.REQUIRED_PROPERTY
						+ "=required says this test must run");
			}
			return ConditionEvaluationResult.disabled(tool.missing() + ": skipped");
		}

	}

}
