package io.cannobserv.reconciler.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.cannobserv.reconciler.run.ExitCode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbooks under {@code docs/runbooks/}: every alert carries a {@code runbook_url}
 * annotation (the kube-prometheus convention) to a page that exists, under the one base
 * that {@code k8s/monitoring/kustomization.yaml} sets, every exit code of the job has a
 * page, and every page says what it means, how to confirm it, what to do and how to undo
 * it, with links that lead somewhere.
 */
class RunbooksTests {

	private static final Path RUNBOOKS = Path.of("docs/runbooks");

	private static final Path MONITORING = Path.of("k8s/monitoring");

	private static final String PATH = "/docs/runbooks/";

	private static final List<String> SECTIONS = List.of("## What it means", "## Confirm", "## What to do", "## Undo");

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	@Test
	void alertsWhenAnnotatedLinkEachToItsOwnExistingPageUnderTheOneBase() throws IOException {
		String base = runbookBase();
		for (Path file : List.of(MONITORING.resolve("alerts.rules.yaml"), MONITORING.resolve("prometheusrule.yaml"))) {
			List<Map<String, Object>> rules = rules(file);
			assertThat(rules).as("alert rules in %s", file).isNotEmpty();
			for (Map<String, Object> rule : rules) {
				String alert = (String) rule.get("alert");
				Map<String, Object> annotations = map(rule, "annotations");
				assertThat(annotations).as("annotations of %s in %s", alert, file).containsKey("runbook_url");
				String url = (String) annotations.get("runbook_url");
				assertThat(url).as("runbook_url of %s in %s", alert, file).isEqualTo(base + PATH + alert + ".md");
				assertThat(RUNBOOKS.resolve(alert + ".md")).as("the page of %s", alert).isRegularFile();
			}
		}
	}

	@Test
	void exitCodesWhenTheJobEndsHaveEachAPage() {
		for (ExitCode code : ExitCode.values()) {
			Path page = RUNBOOKS.resolve("exit-code-" + code.code() + ".md");
			assertThat(page).as("the page of exit code %d (%s)", code.code(), code).isRegularFile();
		}
		// and no page for a code the job does not have
		List<String> codes = Arrays.stream(ExitCode.values())
			.map((code) -> "exit-code-" + code.code() + ".md")
			.toList();
		assertThat(pages()).extracting((page) -> page.getFileName().toString())
			.filteredOn((name) -> name.startsWith("exit-code-"))
			.containsExactlyInAnyOrderElementsOf(codes);
	}

	@Test
	void pagesWhenReadSayWhatItMeansHowToConfirmWhatToDoAndHowToUndo() throws IOException {
		for (Path page : pages()) {
			if (page.getFileName().toString().equals("README.md")) {
				continue;
			}
			String text = Files.readString(page);
			String name = page.getFileName().toString().replace(".md", "");
			assertThat(text).as(page.toString())
				.startsWith("# " + (name.startsWith("exit-code-") ? "Exit code" : name));
			int last = -1;
			for (String section : SECTIONS) {
				int at = text.indexOf("\n" + section + "\n");
				assertThat(at).as("section '%s' in %s, after the one before", section, page).isGreaterThan(last);
				last = at;
			}
			// confirming takes exact commands or queries
			String confirm = text.substring(text.indexOf("\n## Confirm\n"), text.indexOf("\n## What to do\n"));
			assertThat(confirm).as("commands or queries under Confirm in %s", page).contains("```");
		}
	}

	@Test
	void indexWhenReadLinksEveryPageAndEveryLinkLeadsToAFile() throws IOException {
		String index = Files.readString(RUNBOOKS.resolve("README.md"));
		for (Path page : pages()) {
			if (!page.getFileName().toString().equals("README.md")) {
				assertThat(index).as("a link to %s in the index", page).contains("](" + page.getFileName() + ")");
			}
		}
		for (Path page : pages()) {
			Matcher link = LINK.matcher(Files.readString(page));
			while (link.find()) {
				String target = link.group(1);
				if (target.startsWith("http") || target.startsWith("#")) {
					continue;
				}
				Path file = page.resolveSibling(target.replaceFirst("#.*$", "")).normalize();
				assertThat(file).as("link %s in %s", target, page).exists();
			}
		}
	}

	/** The base that kustomization.yaml's replacement writes into every runbook_url. */
	@SuppressWarnings("unchecked")
	private static String runbookBase() throws IOException {
		Map<String, Object> kustomization = yaml(MONITORING.resolve("kustomization.yaml"));
		List<String> literals = new ArrayList<>();
		for (Object generator : (List<Object>) kustomization.get("configMapGenerator")) {
			Object found = ((Map<String, Object>) generator).get("literals");
			if (found != null) {
				literals.addAll((List<String>) found);
			}
		}
		List<String> bases = literals.stream()
			.filter((literal) -> literal.startsWith("runbook-base="))
			.map((literal) -> literal.substring("runbook-base=".length()))
			.toList();
		assertThat(bases).as("runbook-base in k8s/monitoring/kustomization.yaml").singleElement();
		assertThat(bases.get(0)).doesNotEndWith("/").startsWith("https://");
		// the replacement keeps what follows the base: the path of the page
		assertThat(Files.readString(MONITORING.resolve("kustomization.yaml"))).contains("delimiter: " + PATH)
			.contains("spec.groups.*.rules.*.annotations.runbook_url");
		return bases.get(0);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> rules(Path file) throws IOException {
		Map<String, Object> document = yaml(file);
		Map<String, Object> holder = document.containsKey("spec") ? map(document, "spec") : document;
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) holder.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				if (rule.containsKey("alert")) {
					rules.add(rule);
				}
			}
		}
		return rules;
	}

	private static List<Path> pages() {
		try (Stream<Path> files = Files.list(RUNBOOKS)) {
			return files.filter((file) -> file.toString().endsWith(".md")).sorted().toList();
		}
		catch (IOException ex) {
			throw new AssertionError("cannot list " + RUNBOOKS, ex);
		}
	}

	private static Map<String, Object> yaml(Path file) throws IOException {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		assertThat(parent.get(key)).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) parent.get(key);
	}

}
