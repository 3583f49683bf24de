package dev.seb.contracts.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every field a user sees in {@code kubectl explain} carries a description: spec and status of
 * every seb kind, down to the last leaf, including the fields of each condition. The committed CRDs
 * are checked (CrdDriftTest keeps them equal to what the types generate).
 */
class CrdDescriptionsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path CRDS = Path.of("..", "crds");

  private static JsonNode schema(String plural) throws IOException {
    JsonNode crd = YAML.readTree(Files.readString(CRDS.resolve(plural + ".seb.dev-v1.yml")));
    return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mutationproposals",
        "mandates",
        "executioncontracts",
        "trustanchors",
        "executionrecords"
      })
  void everySpecAndStatusField_isDescribed(String plural) throws IOException {
    JsonNode root = schema(plural);
    List<String> undescribed = new ArrayList<>();
    for (String part : List.of("spec", "status")) {
      walk(part, root.path("properties").path(part), undescribed);
    }
    assertThat(undescribed).as("fields of %s without a description", plural).isEmpty();
  }

  @Test
  void conditions_sayWhichTypesExist_whoSetsThem_andThatTheBrokerDoesNotTrustThem()
      throws IOException {
    Map<String, List<String>> types =
        Map.of(
            "mandates", List.of("Ready", "Active"),
            "executioncontracts", List.of("Ready", "Certified"),
            "trustanchors", List.of("Ready"));
    for (var kind : types.entrySet()) {
      String text =
          schema(kind.getKey())
              .path("properties")
              .path("status")
              .path("properties")
              .path("conditions")
              .path("description")
              .asText();
      assertThat(text)
          .as("%s status.conditions", kind.getKey())
          .contains(kind.getValue())
          .contains("seb operator", "ReconcileError", "never trusts");
    }
  }

  /** Adds the path of every property below {@code node} that has no description. */
  private static void walk(String path, JsonNode node, List<String> undescribed) {
    if (node.isMissingNode()) {
      return;
    }
    if (node.path("description").asText("").isBlank()) {
      undescribed.add(path);
    }
    JsonNode items = node.path("items");
    JsonNode object = items.isMissingNode() ? node : items;
    String prefix = items.isMissingNode() ? path : path + "[]";
    Iterator<Map.Entry<String, JsonNode>> fields = object.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      walk(prefix + "." + field.getKey(), field.getValue(), undescribed);
    }
  }
}
