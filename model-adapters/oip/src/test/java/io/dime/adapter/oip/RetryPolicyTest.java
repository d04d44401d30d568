package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The waits between sends: the backoff, and how long a server's {@code Retry-After} asks for. */
class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-05T18:00:00Z");

  private static long asked(int status, String value) {
    return RetryPolicy.retryAfterMillis(status, Optional.ofNullable(value), NOW);
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDateOnlyFor429And503() {
    assertEquals(120_000, asked(503, "120"));
    assertEquals(0, asked(429, " 0 "));
    assertEquals(5_000, asked(503, "Sat, 05 Dec 2026 18:00:05 GMT"));
    assertEquals(0, asked(503, "Sat, 05 Dec 2026 17:00:00 GMT"), "a date past asks for no wait");
    assertEquals(-1, asked(503, null));
    assertEquals(-1, asked(503, "soon"));
    assertEquals(-1, asked(503, "-5"));
    assertEquals(-1, asked(503, "99999999999"), "more digits than any wait: ignored");
    assertEquals(-1, asked(502, "120"), "502 and 504 do not carry the header's meaning");
    assertEquals(-1, asked(500, "120"));
  }

  @Test
  void theLongerOfBackoffAndRetryAfterIsWaitedAtMostAMinute() {
    RetryPolicy p = new RetryPolicy(5, 100);
    assertEquals(100, p.delayMillis(1));
    assertEquals(400, p.delayMillis(3));
    assertEquals(400, p.delayMillis(3, -1));
    assertEquals(400, p.delayMillis(3, 0), "a shorter wait asked for does not shorten the backoff");
    assertEquals(2_000, p.delayMillis(3, 2_000));
    assertEquals(60_000, p.delayMillis(1, 3_600_000), "an hour asked for is a minute");
    assertEquals(0, new RetryPolicy(1, 0).delayMillis(1, -1));
  }
}
