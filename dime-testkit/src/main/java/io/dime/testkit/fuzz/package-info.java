/**
 * Bounded, reproducible fuzzing for readers of untrusted input: a seeded {@link
 * io.dime.testkit.fuzz.Mutator} makes inputs from real, valid ones, and {@link
 * io.dime.testkit.fuzz.Fuzz} feeds them to a target with a time and memory limit per try, shrinks
 * the first input that fails, and reports it with the seed that reruns it. Plain JUnit 5: a fuzz
 * test is an ordinary {@code @Test} (tagged {@code fuzz}) that calls {@link
 * io.dime.testkit.fuzz.Fuzz#run}. CI runs each with a fixed seed and a number of tries that takes
 * seconds; {@code ./mvnw -o -B install -Djacoco.skip -Pfuzz -pl <module> -am} runs only the fuzz
 * tests, each with 100 times its tries (at most 30 minutes a run).
 *
 * @since 0.1
 */
package io.dime.testkit.fuzz;
