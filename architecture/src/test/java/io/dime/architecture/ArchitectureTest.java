package io.dime.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules that keep the architecture (ARCHITECTURE.md), checked on every module's main classes.
 */
@AnalyzeClasses(packages = "io.dime", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule apiDependsOnTheJdkOnly =
      classes()
          .that()
          .resideInAnyPackage("io.dime.api..", "io.dime.spi..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "io.dime.api..", "io.dime.spi..")
          .because(
              "dime-api is what plugin authors and callers build on: no module of ours, no Guice,"
                  + " Jackson, OpenCV or CoreNLP (DESIGN.md section 3)");

  @ArchTest
  static final ArchRule pluginsNeverDependOnCore =
      noClasses()
          .that()
          .resideInAnyPackage("io.dime.modality..", "io.dime.adapter..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.dime.core..", "io.dime.cli..", "io.dime.report..")
          .because("a plugin is written against dime-api alone");

  @ArchTest
  static final ArchRule reportRendersApiRecordsOnly =
      classes()
          .that()
          .resideInAPackage("io.dime.report..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "io.dime.api..", "io.dime.spi..", "io.dime.report..")
          .because("the report renders the api's records and the plugins' views, never JSON");

  @ArchTest
  static final ArchRule nothingInTheReportUsesJackson =
      noClasses()
          .that()
          .resideInAPackage("io.dime.report..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.fasterxml..");

  @ArchTest
  static final ArchRule picocliOnlyInTheCommandLine =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.dime.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..")
          .because("the job and the engine are used from Java without picocli");

  @ArchTest
  static final ArchRule coreHoldsNoExperimentsNorCommands =
      noClasses()
          .that()
          .resideInAPackage("io.dime.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.dime.reproduce..",
              "io.dime.demo..",
              "io.dime.cli..",
              "io.dime.report..",
              "io.dime.modality..",
              "io.dime.adapter..",
              "io.dime.spark..");

  @ArchTest
  static final ArchRule sparkOnlyInDimeSpark =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.dime.spark..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.spark..", "scala..")
          .because(
              "Spark is an optional part (the spark profile): everything else builds and runs"
                  + " without it");

  @ArchTest
  static final ArchRule theCommandLineReachesSparkThroughServiceLoaderOnly =
      noClasses()
          .that()
          .resideInAPackage("io.dime.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.dime.spark..")
          .because(
              "dime-cli builds without dime-spark: --spark finds it as a"
                  + " RemoteExplainerProvider through ServiceLoader");

  @ArchTest
  static final ArchRule experimentsAreALibraryOverCore =
      noClasses()
          .that()
          .resideInAnyPackage("io.dime.reproduce..", "io.dime.demo..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.dime.cli..", "io.dime.report..", "io.dime.modality..", "io.dime.adapter..");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.dime.(**)").should().beFreeOfCycles();
}
