package io.dime.adapter.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The location syntax: what parses, to which routes, and what is refused with which reason. */
class OipLocationTest {
  @Test
  void nameAndRoutes() {
    OipLocation l = OipLocation.parse("http://triton:8000/v2/models/fashion_vqa");
    assertEquals("http://triton:8000", l.base());
    assertEquals("fashion_vqa", l.model());
    assertEquals(Optional.empty(), l.version());
    assertEquals("http://triton:8000/v2/models/fashion_vqa", l.metadataUri().toString());
    assertEquals("http://triton:8000/v2/models/fashion_vqa/infer", l.inferUri().toString());
    assertEquals("http://triton:8000/v2/models/fashion_vqa/ready", l.modelReadyUri().toString());
    assertEquals("http://triton:8000/v2/health/ready", l.serverReadyUri().toString());
    assertEquals("http://triton:8000/v2", l.serverUri().toString());
  }

  @Test
  void versionAndGatewayPrefix() {
    OipLocation l =
        OipLocation.parse("https://gw.example.org/serving/team-a/v2/models/m-1.2/versions/3");
    assertEquals("https://gw.example.org/serving/team-a", l.base());
    assertEquals("m-1.2", l.model());
    assertEquals(Optional.of("3"), l.version());
    assertEquals(
        "https://gw.example.org/serving/team-a/v2/models/m-1.2/versions/3/infer",
        l.inferUri().toString());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|it is empty",
        "model.onnx|the scheme must be http or https",
        "ftp://h/v2/models/m|the scheme must be http or https",
        "http:///v2/models/m|it names no host",
        "http://u:p@h:8000/v2/models/m|credentials do not belong",
        "http://h:8000/v2/models/m?x=1|query or fragment",
        "http://h:8000/models/m|its path must hold '/v2/models/' once",
        "http://h:8000/v2/models/|the model name is empty",
        "http://h:8000/v2/models/m/|the model name 'm/' may hold",
        "http://h:8000/v2/models/m/infer|the model name 'm/infer' may hold",
        "http://h:8000/v2/models/m/versions/|the version is empty",
        "http://h:8000/v2/models/m/versions/1/ready|the version '1/ready' may hold",
        "http://h:8000/v2/models/a b|it is not a URL",
        // each request failed with "port out of range:99999", and was sent again
        "http://h:99999/v2/models/m|its port 99999 is not one: a port is 1 to 65535",
        "http://h:65536/v2/models/m|its port 65536 is not one",
        "http://h:0/v2/models/m|its port 0 is not one",
      })
  void malformedLocationsAreRefusedSayingWhy(String location, String why) {
    ModelException e = assertThrows(ModelException.class, () -> OipLocation.parse(location));
    assertTrue(e.getMessage().startsWith("model location '" + location + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertTrue(e.getMessage().endsWith("expected " + OipLocation.FORM), e.getMessage());
  }
}
