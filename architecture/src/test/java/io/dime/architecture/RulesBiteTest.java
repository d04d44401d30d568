package io.dime.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.dime.architecture.fixture.api.LeakyRecord;
import io.dime.architecture.fixture.cycle.First;
import io.dime.architecture.fixture.cycle.other.Second;
import io.dime.architecture.fixture.report.JacksonCard;
import org.junit.jupiter.api.Test;

/**
 * The architecture rules fail on code that breaks them: each rule is evaluated on a small fixture
 * that violates it (the fixtures live in test code, which the real rules do not analyse).
 */
class RulesBiteTest {
  private static final JavaClasses FIXTURES =
      new ClassFileImporter()
          .importClasses(LeakyRecord.class, JacksonCard.class, First.class, Second.class);

  private static EvaluationResult evaluate(ArchRule rule) {
    return rule.evaluate(FIXTURES);
  }

  @Test
  void theApiRuleCatchesADependencyOnJackson() {
    ArchRule rule =
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that()
            .resideInAnyPackage("io.dime.architecture.fixture.api..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.dime.api..", "io.dime.spi..");
    EvaluationResult r = evaluate(rule);
    assertTrue(r.hasViolation());
    assertTrue(
        r.getFailureReport().toString().contains("com.fasterxml"), r.getFailureReport().toString());
  }

  @Test
  void theReportRuleCatchesJackson() {
    ArchRule rule =
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
            .that()
            .resideInAPackage("io.dime.architecture.fixture.report..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.fasterxml..");
    assertTrue(evaluate(rule).hasViolation());
  }

  @Test
  void theCycleRuleCatchesACycle() {
    ArchRule rule =
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
            .matching("io.dime.architecture.fixture.(**)")
            .should()
            .beFreeOfCycles();
    assertTrue(evaluate(rule).hasViolation());
    // ArchitectureTest's own rule, on these classes, finds the same cycle
    assertTrue(ArchitectureTest.noPackageCycles.evaluate(FIXTURES).hasViolation());
  }
}
