package dev.seb.local;

import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.BoundaryPolicies;
import dev.seb.contracts.admission.WorkloadExemption;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The chart's admission templates, generated from one {@link AdmissionPolicy} whose configurable
 * parts are sentinels, each then replaced by the Helm action that renders the chart's value there:
 * {@code admission.*} as CEL list literals of single-quoted strings (checked by {@code
 * _admission.tpl}, which fails the render on a quote or backslash), the release namespace, and the
 * webhook's clientConfig and annotations from {@code _tls.tpl}. The CEL has the same text for any
 * values but for those list literals, so the chart enforces exactly what the generator gives for
 * the policy its values describe.
 */
final class ChartAdmissionTemplates {

  private static final AdmissionPolicy DEFAULTS = AdmissionPolicy.defaults();

  private static final WorkloadExemption EXEMPTION =
      WorkloadExemption.parse("seb-sentinel/seb-sentinel=seb.sentinel/sentinels");

  /** The policy whose configurable parts are sentinels. */
  static final AdmissionPolicy SENTINELS =
      new AdmissionPolicy(
          "SEB-NAMESPACE",
          DEFAULTS.brokerServiceAccount(),
          DEFAULTS.executionPrefix(),
          List.of("SEB-EXEMPT-USERS"),
          DEFAULTS.exemptGroups(),
          List.of(EXEMPTION),
          Set.of("SEB-BREAK-GLASS-GROUPS"),
          Set.of("SEB-ADMIN-GROUPS"),
          Set.of("SEB-RETENTION-GROUPS"),
          Set.of("SEB-PROTECTION-ADMIN-GROUPS"),
          DEFAULTS.operatorServiceAccount());

  /** Where the registrations' clientConfig goes, replaced by {@code seb.webhook.clientConfig}. */
  static final String CLIENT_CONFIG = "SEB-CLIENT-CONFIG/";

  /** The registrations' annotation replaced by {@code seb.webhook.registrationAnnotations}. */
  static final String ANNOTATIONS = "SEB-ANNOTATIONS";

  private static final Pattern CLIENT_CONFIG_LINE =
      Pattern.compile(
          "(?m)^( *)clientConfig:\n *url: \"" + Pattern.quote(CLIENT_CONFIG) + "([^\"]+)\"\n");

  private static final Pattern ANNOTATIONS_LINES =
      Pattern.compile("(?m)^( *)annotations:\n *" + ANNOTATIONS + ": \"x\"\n");

  private ChartAdmissionTemplates() {}

  /** {@code admission-webhook-registration.yaml} without its header. */
  static String registrations() {
    return template(
        AdmissionRegistration.forPolicy(
            SENTINELS,
            path ->
                new io.fabric8.kubernetes.api.model.admissionregistration.v1
                        .WebhookClientConfigBuilder()
                    .withUrl(CLIENT_CONFIG + path)
                    .build(),
            Map.of(ANNOTATIONS, "x")));
  }

  /** {@code validating-admission-policy.yaml} without its header. */
  static String boundaryPolicies() {
    return template(BoundaryPolicies.forPolicy(SENTINELS));
  }

  /** {@code validating-admission-policy-seb-kinds.yaml} without its header. */
  static String sebKindsPolicy() {
    return template(SebKindsAdmissionPolicy.forPolicy(SENTINELS));
  }

  private static String template(List<HasMetadata> objects) {
    KubernetesSerialization yaml = new KubernetesSerialization();
    String text =
        objects.stream()
            .map(o -> yaml.unmarshal(tokens(yaml.asJson(o)), o.getClass()))
            .map(yaml::asYaml)
            .map(doc -> doc.startsWith("---") ? doc : "---\n" + doc)
            .collect(Collectors.joining());
    text = helm(text);
    if (text.contains("SEB-") || text.contains("seb-sentinel") || text.contains("@@")) {
      throw new IllegalStateException("a sentinel is left in the chart's template:\n" + text);
    }
    return text;
  }

  /**
   * The sentinels' list literals as tokens without spaces, before the YAML is written (it folds
   * long strings at spaces).
   */
  private static String tokens(String json) {
    for (Map.Entry<String, String> list : lists().entrySet()) {
      json = json.replace(list.getValue(), "@@" + list.getKey() + "@@");
    }
    return json;
  }

  /** Each {@code admission.*} value, by key, and its sentinel's CEL list literal. */
  private static Map<String, String> lists() {
    Map<String, String> lists = new LinkedHashMap<>();
    lists.put("workloadExemptions", AdmissionPolicy.workloadExemptionsCel(List.of(EXEMPTION)));
    lists.put("exemptUsers", "['SEB-EXEMPT-USERS']");
    lists.put("breakGlassGroups", "['SEB-BREAK-GLASS-GROUPS']");
    lists.put("adminGroups", "['SEB-ADMIN-GROUPS']");
    lists.put("retentionGroups", "['SEB-RETENTION-GROUPS']");
    lists.put("protectionAdminGroups", "['SEB-PROTECTION-ADMIN-GROUPS']");
    return lists;
  }

  private static String helm(String text) {
    for (String key : lists().keySet()) {
      String action =
          key.equals("workloadExemptions")
              ? "{{ include \"seb.admission.cel.exemptions\" $ }}"
              : "{{ include \"seb.admission.cel.strings\" (dict \"root\" $ \"key\" \""
                  + key
                  + "\") }}";
      text = text.replace("@@" + key + "@@", action);
    }
    text = text.replace("SEB-NAMESPACE", "{{ include \"seb.admission.namespace\" $ }}");
    Matcher client = CLIENT_CONFIG_LINE.matcher(text);
    text =
        client.replaceAll(
            m ->
                Matcher.quoteReplacement(
                    m.group(1)
                        + "clientConfig:\n"
                        + m.group(1)
                        + "  {{- include \"seb.webhook.clientConfig\" (dict \"root\" $ \"path\" \""
                        + m.group(2)
                        + "\") | nindent "
                        + (m.group(1).length() + 2)
                        + " }}\n"));
    Matcher annotations = ANNOTATIONS_LINES.matcher(text);
    return annotations.replaceAll(
        m ->
            Matcher.quoteReplacement(
                m.group(1)
                    + "{{- with include \"seb.webhook.registrationAnnotations\" $ }}\n"
                    + m.group(1)
                    + "annotations:\n"
                    + m.group(1)
                    + "  {{- . | nindent "
                    + (m.group(1).length() + 2)
                    + " }}\n"
                    + m.group(1)
                    + "{{- end }}\n"));
  }
}
