package io.cannobserv.reconciler.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * The project's Markdown pages as GitHub renders them (CommonMark): their links, and the
 * anchors their headings get.
 */
final class MarkdownPages {

	private static final Parser PARSER = Parser.builder()
		.includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
		.build();

	/** An HTML element's {@code id} or {@code name}, which GitHub keeps as an anchor. */
	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

	private MarkdownPages() {
	}

	/** README.md and the other pages at the root, and every page under docs/. */
	static List<Path> all() {
		List<Path> pages = new ArrayList<>();
		try (Stream<Path> root = Files.list(Path.of(".")); Stream<Path> docs = Files.walk(Path.of("docs"))) {
			root.map(Path::normalize).filter(MarkdownPages::isPage).sorted().forEach(pages::add);
			docs.filter(MarkdownPages::isPage).sorted().forEach(pages::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

	/** Where the links of a page point, as written, with their lines. */
	static List<Target> links(Path page) {
		List<Target> targets = new ArrayList<>();
		parse(page).accept(new AbstractVisitor() {

			@Override
			public void visit(Link link) {
				targets.add(new Target(page, line(link), link.getDestination()));
				visitChildren(link);
			}

			@Override
			public void visit(Image image) {
				targets.add(new Target(page, line(image), image.getDestination()));
			}

			@Override
			public void visit(LinkReferenceDefinition definition) {
				targets.add(new Target(page, line(definition), definition.getDestination()));
			}

		});
		return targets;
	}

	/**
	 * The anchors GitHub gives a page: one per heading, made from its text (lower case,
	 * spaces to dashes, only letters, digits, {@code _} and {@code -} kept, a repeat
	 * suffixed {@code -1}, {@code -2}, …), and the ids of its HTML anchors.
	 */
	static Set<String> anchors(Path page) {
		Set<String> anchors = new LinkedHashSet<>();
		IdGenerator ids = IdGenerator.builder().build();
		parse(page).accept(new AbstractVisitor() {

			@Override
			public void visit(Heading heading) {
				anchors.add(ids.generateId(text(heading)));
			}

			@Override
			public void visit(HtmlInline html) {
				htmlAnchors(html.getLiteral(), anchors);
			}

			@Override
			public void visit(HtmlBlock html) {
				htmlAnchors(html.getLiteral(), anchors);
			}

		});
		return anchors;
	}

	/** The text of a heading as rendered: its text and code, without markup. */
	static String text(Node node) {
		StringBuilder text = new StringBuilder();
		node.accept(new AbstractVisitor() {

			@Override
			public void visit(Text literal) {
				text.append(literal.getLiteral());
			}

			@Override
			public void visit(Code code) {
				text.append(code.getLiteral());
			}

		});
		return text.toString();
	}

	static String read(Path page) {
		try {
			return Files.readString(page);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Node parse(Path page) {
		return PARSER.parse(read(page));
	}

	private static boolean isPage(Path path) {
		return path.getFileName().toString().endsWith(".md") && Files.isRegularFile(path);
	}

	private static void htmlAnchors(String html, Set<String> anchors) {
		Matcher anchor = HTML_ANCHOR.matcher(html);
		while (anchor.find()) {
			anchors.add(anchor.group(1));
		}
	}

	private static int line(Node node) {
		List<SourceSpan> spans = node.getSourceSpans();
		return spans.isEmpty() ? 0 : spans.get(0).getLineIndex() + 1;
	}

	/**
	 * Where a link points.
	 *
	 * @param page the page it is in
	 * @param line its line, from 1
	 * @param destination its target, as written
	 */
	record Target(Path page, int line, String destination) {

		/** Whether it points outside the repository: a URL with a scheme. */
		boolean external() {
			return this.destination.matches("(?i)^[a-z][a-z0-9+.-]*:.*");
		}

		@Override
		public String toString() {
			return this.page + ":" + this.line + ": " + this.destination;
		}

	}

}
