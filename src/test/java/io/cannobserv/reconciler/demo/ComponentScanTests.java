package io.cannobserv.reconciler.demo;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;

import io.cannobserv.reconciler.WatcherReconcilerApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's component scan covers its package, on whatever class path it runs:
 * the demo's ({@code mvn spring-boot:test-run}) holds the test classes too, and a test
 * class the scan found would run inside the demo (a failing test listener once logged
 * "notification service unreachable" there). Only the application's own classes may be
 * candidates; a test adds its beans by name ({@code --spring.main.sources}).
 */
class ComponentScanTests {

	@Test
	void componentScanWhenTestClassesAreOnTheClassPathFindsOnlyTheApplicationsClasses() throws Exception {
		Path main = Path
			.of(WatcherReconcilerApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(true);

		List<String> foreign = scan.findCandidateComponents(WatcherReconcilerApplication.class.getPackageName())
			.stream()
			.map(BeanDefinition::getBeanClassName)
			.filter((name) -> !isIn(main, name))
			.toList();

		assertThat(scan.findCandidateComponents(WatcherReconcilerApplication.class.getPackageName())).isNotEmpty();
		assertThat(foreign).as("test classes the application's scan would pick up").isEmpty();
	}

	private static boolean isIn(Path root, String className) {
		try {
			Path location = Path.of(Class.forName(className, false, ComponentScanTests.class.getClassLoader())
				.getProtectionDomain()
				.getCodeSource()
				.getLocation()
				.toURI());
			return location.equals(root);
		}
		catch (ReflectiveOperationException | java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
