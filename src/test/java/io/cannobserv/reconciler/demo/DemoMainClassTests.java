package io.cannobserv.reconciler.demo;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mvn spring-boot:test-run}, the README's first command, starts the single class
 * with a {@code main} method among the test classes, and refuses to choose when there are
 * two: the demo must stay the only one.
 */
class DemoMainClassTests {

	@Test
	void testClassesWhenSearchedForMainMethodsHoldOnlyTheDemo() throws Exception {
		Path root = Path.of(DemoRegistryApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<String> mainClasses;
		try (Stream<Path> files = Files.walk(root)) {
			mainClasses = files.filter((file) -> file.toString().endsWith(".class"))
				.map((file) -> className(root, file))
				.filter(DemoMainClassTests::hasMainMethod)
				.toList();
		}
		assertThat(mainClasses).containsExactly(DemoRegistryApplication.class.getName());
	}

	private static String className(Path root, Path file) {
		String relative = root.relativize(file).toString();
		return relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
	}

	private static boolean hasMainMethod(String className) {
		try {
			Method main = Class.forName(className, false, DemoMainClassTests.class.getClassLoader())
				.getDeclaredMethod("main", String[].class);
			return Modifier.isStatic(main.getModifiers());
		}
		catch (ClassNotFoundException | NoSuchMethodException | LinkageError ex) {
			return false;
		}
	}

}
