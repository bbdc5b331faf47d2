package io.cannobserv.reconciler.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.cannobserv.reconciler.WatcherReconcilerApplication;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages' rules (docs/development/architecture.md), over the main classes: the
 * application on top, features below it, and no package that imports itself back through
 * another.
 */
@AnalyzeClasses(packagesOf = WatcherReconcilerApplication.class, importOptions = ImportOption.DoNotIncludeTests.class)
final class PackageArchitectureTests {

	private static final String ROOT = "io.cannobserv.reconciler";

	@ArchTest
	static final ArchRule featurePackagesAreFreeOfCycles = slices().matching(ROOT + ".(*)..")
		.namingSlices("$1")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule rootPackageHoldsOnlyTheApplication = classes().that()
		.resideInAPackage(ROOT)
		.should()
		.haveNameMatching(WatcherReconcilerApplication.class.getName().replace(".", "\\.") + "(\\$.*)?")
		.orShould()
		.haveSimpleName("package-info")
		.because("the root package is the top of the house: foundations live in the features");

	@ArchTest
	static final ArchRule noFeatureDependsOnTheRootPackage = noClasses().that()
		.resideOutsideOfPackage(ROOT)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(ROOT)
		.because("the application depends on the features, never the other way round");

	@ArchTest
	static final ArchRule sharedVocabularyDependsOnNoFeature = noClasses().that()
		.resideInAPackage(ROOT + ".run..")
		.should()
		.dependOnClassesThat(resideInAPackage(ROOT + "..").and(resideOutsideOfPackage(ROOT + ".run..")))
		.because("every feature may use run/, so it uses none of them");

	private PackageArchitectureTests() {
	}

}
