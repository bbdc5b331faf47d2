package io.cannobserv.reconciler.docs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.commonmark.ext.heading.anchor.IdGenerator;
import org.junit.jupiter.api.Test;

import io.cannobserv.reconciler.docs.MarkdownPages.Target;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation holds together: every relative link of README.md and docs/ leads to a
 * file of the repository, every anchor to a heading of its page (by GitHub's rules), and
 * every page can be reached from README.md.
 */
class DocumentationLinksTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	/** The most lines README.md may have: the rest belongs in docs/. */
	private static final int README_LINES = 200;

	@Test
	void linkWhenRelativeLeadsToAFileOfTheRepository() {
		// given
		List<String> broken = new ArrayList<>();

		// when
		for (Path page : MarkdownPages.all()) {
			for (Target link : MarkdownPages.links(page)) {
				if (link.external() || link.destination().startsWith("#")) {
					continue;
				}
				Path target = resolve(link);
				if (!target.startsWith(ROOT) || !Files.exists(target)) {
					broken.add(link + " (no such file: " + ROOT.relativize(target) + ")");
				}
			}
		}

		// then
		assertThat(broken).as("links to files that do not exist").isEmpty();
	}

	@Test
	void linkWhenItNamesAnAnchorLeadsToAHeadingOfItsPage() {
		// given
		List<String> broken = new ArrayList<>();

		// when
		for (Path page : MarkdownPages.all()) {
			for (Target link : MarkdownPages.links(page)) {
				int hash = link.destination().indexOf('#');
				if (link.external() || hash < 0) {
					continue;
				}
				Path target = (hash == 0) ? page.toAbsolutePath().normalize() : resolve(link);
				String anchor = decode(link.destination().substring(hash + 1));
				if (Files.isRegularFile(target) && target.toString().endsWith(".md")
						&& !MarkdownPages.anchors(target).contains(anchor)) {
					broken.add(link + " (" + ROOT.relativize(target) + " has no heading #" + anchor + "; it has "
							+ MarkdownPages.anchors(target) + ")");
				}
			}
		}

		// then
		assertThat(broken).as("links to anchors that no heading makes").isEmpty();
	}

	@Test
	void pageWhenUnderDocsCanBeReachedFromTheReadme() {
		// given every page README.md leads to, link by link
		Set<Path> reached = new LinkedHashSet<>();
		Deque<Path> toRead = new ArrayDeque<>(List.of(ROOT.resolve("README.md")));
		while (!toRead.isEmpty()) {
			Path page = toRead.pop();
			if (!reached.add(page)) {
				continue;
			}
			for (Target link : MarkdownPages.links(ROOT.relativize(page))) {
				if (!link.external() && !link.destination().startsWith("#")) {
					Path target = resolve(link);
					if (target.toString().endsWith(".md") && Files.isRegularFile(target)) {
						toRead.push(target);
					}
				}
			}
		}

		// then
		List<Path> unreached = MarkdownPages.all()
			.stream()
			.map((page) -> page.toAbsolutePath().normalize())
			.filter((page) -> page.startsWith(ROOT.resolve("docs")) && !reached.contains(page))
			.map(ROOT::relativize)
			.toList();
		assertThat(unreached).as("pages under docs/ that no link from README.md leads to").isEmpty();
	}

	@Test
	void readmeWhenReadIsShortEnoughForAFirstVisit() {
		assertThat(MarkdownPages.read(Path.of("README.md")).lines().count())
			.as("README.md's lines: what an operator needs later belongs in docs/")
			.isLessThanOrEqualTo(README_LINES);
	}

	@Test
	void anchorWhenMadeFromAHeadingIsGitHubs() {
		// given headings of these pages, and the anchors GitHub gives them
		IdGenerator ids = IdGenerator.builder().build();

		// then
		assertThat(ids.generateId("Upgrade from 0.1.0")).isEqualTo("upgrade-from-010");
		assertThat(ids.generateId("--relink: re-link instead of clear")).isEqualTo("--relink-re-link-instead-of-clear");
		assertThat(ids.generateId("What Kubernetes does with each exit code"))
			.isEqualTo("what-kubernetes-does-with-each-exit-code");
		assertThat(ids.generateId("Archiver's table")).isEqualTo("archivers-table");
		assertThat(ids.generateId("Step 3. Dry run")).isEqualTo("step-3-dry-run");
		assertThat(ids.generateId("Step 3. Dry run")).isEqualTo("step-3-dry-run-1");
	}

	/**
	 * The file a relative link leads to, from the page's directory (or the root for /).
	 */
	private static Path resolve(Target link) {
		String path = decode(link.destination().replaceFirst("#.*$", ""));
		Path base = path.startsWith("/") ? ROOT : link.page().toAbsolutePath().getParent();
		return base.resolve(path.replaceFirst("^/+", "")).normalize();
	}

	private static String decode(String text) {
		return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

}
