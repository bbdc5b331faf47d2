package io.cannobserv.reconciler.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the build under test should say of itself, found without the application's code:
 * the version in {@code pom.xml}, and the commit checked out, asked of git.
 */
public final class ExpectedBuild {

	private ExpectedBuild() {
	}

	/** The project's version, as {@code pom.xml} says. */
	public static String version() {
		try {
			Element project = DocumentBuilderFactory.newInstance()
				.newDocumentBuilder()
				.parse(Path.of("pom.xml").toFile())
				.getDocumentElement();
			for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
				if ("version".equals(child.getNodeName())) {
					return child.getTextContent().strip();
				}
			}
			throw new IllegalStateException("pom.xml names no version of the project");
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot read the project's version from pom.xml", ex);
		}
	}

	/**
	 * The commit checked out, where the sources are a clone of the repository
	 * ({@code .git} a directory), which is where the build records it; empty elsewhere (a
	 * linked worktree, whose {@code .git} is a file, or sources without git).
	 */
	public static Optional<String> clonedCommit() {
		if (!Files.isDirectory(Path.of(".git"))) {
			return Optional.empty();
		}
		try {
			Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
			String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
				throw new IllegalStateException("git rev-parse HEAD failed: " + out);
			}
			return Optional.of(out);
		}
		catch (IOException ex) {
			throw new IllegalStateException("The sources are a git clone, but git cannot be run: " + ex.getMessage(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
