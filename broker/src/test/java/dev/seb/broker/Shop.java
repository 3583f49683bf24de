package dev.seb.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Base64URL;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One test class's shop: its own namespace with the Deployment {@code web} (two replicas of {@link
 * #IMAGE}), its own trust anchor (named {@code sab-<namespace>}), the contracts the broker's tests
 * propose against and the agent's mandate; and the helpers those tests share to propose and to read
 * what the broker did.
 *
 * <p>Contracts, all certified for the namespace: {@code scale-web} (2 to 6 replicas while the image
 * is {@link #IMAGE}), {@code annotate-web} (merge patch of the template's annotations), {@code
 * create-cm} (create the ConfigMap {@code created}), {@code recertify-cm} (create the ConfigMap
 * {@code recertified}), {@code delete-cm} (delete {@code doomed}), {@code delete-raced} (delete
 * {@code raced-cm}) and {@code create-nowhere} (create in a namespace that does not exist). The
 * mandate {@code planner} allows 2 to 5 replicas and all the others.
 */
final class Shop {

  static final String AGENT = "system:serviceaccount:agents:planner";
  static final String IMAGE = "registry.example/shop/web:1.4.2";

  final KubernetesClient client;
  final String ns;
  final TestSab sab;

  private Shop(KubernetesClient client, String ns, TestSab sab) {
    this.client = client;
    this.ns = ns;
    this.sab = sab;
  }

  /** Sets the shop up in {@code namespace}, which no other test class uses. */
  static Shop open(KubernetesClient client, String namespace) throws Exception {
    // the broker's namespace may exist already: another test class made it
    BrokerTestGround.namespaces(client, namespace, "seb-system");
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(BrokerTestGround.web(namespace, IMAGE))
        .create();
    Shop shop =
        new Shop(
            client, namespace, TestSab.create("sab." + namespace + ".test", Clock.systemUTC()));
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName(shop.anchorName()).build());
    anchor.setSpec(
        new TrustAnchorSpec(
            shop.sab.sabId(), shop.sab.rootsPem(), shop.sab.epochStatement().sign()));
    client.resource(anchor).create();

    String web = target("apps/v1", "Deployment", namespace, "web");
    shop.certify(
        "scale-web",
        """
        {"target": %s,
         "operations": [{"type": "scale", "constraints": {"minReplicas": 2, "maxReplicas": 6}}],
         "preconditions": [{"path": "/spec/template/spec/containers/0/image", "equals": "%s"}],
         "reversibility": "reversible"}
        """
            .formatted(web, IMAGE));
    shop.certify(
        "annotate-web",
        """
        {"target": %s,
         "operations": [{"type": "patch", "constraints": {"allowedPaths": ["/spec/template/metadata/annotations/**"]}}],
         "reversibility": "reversible"}
        """
            .formatted(web));
    for (String name : List.of("doomed", "raced-cm")) {
      client
          .configMaps()
          .inNamespace(namespace)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .addToData("mode", "calm")
                  .build())
          .create();
    }
    shop.certifyCreate("create-cm", namespace, "created", "calm");
    shop.certifyCreate("recertify-cm", namespace, "recertified", "calm");
    shop.certifyCreate("create-nowhere", "no-such-namespace", "lost", "calm");
    for (String[] c :
        List.of(new String[] {"delete-cm", "doomed"}, new String[] {"delete-raced", "raced-cm"})) {
      shop.certify(
          c[0],
          """
          {"target": %s, "operations": [{"type": "delete"}], "reversibility": "reversible"}
          """
              .formatted(target("v1", "ConfigMap", namespace, c[1])));
    }

    Mandate mandate = new Mandate();
    mandate.setMetadata(
        new ObjectMetaBuilder().withName("planner").withNamespace(namespace).build());
    mandate.setSpec(
        CanonicalJson.mapper()
            .readValue(
                """
        {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
         "scope": [{"contractRef": "scale-web", "operations": ["scale"], "constraints": {"minReplicas": 2, "maxReplicas": 5}},
                   {"contractRef": "annotate-web", "operations": ["patch"]},
                   {"contractRef": "create-cm"}, {"contractRef": "recertify-cm"},
                   {"contractRef": "delete-cm"}, {"contractRef": "delete-raced"},
                   {"contractRef": "create-nowhere"}],
         "lifecycle": {"notAfter": "2099-01-01T00:00:00Z"}}
        """,
                MandateSpec.class));
    BrokerTestGround.setActive(client, client.resource(mandate).create());
    return shop;
  }

  /** The name of the shop's TrustAnchor. */
  String anchorName() {
    return "sab-" + ns;
  }

  private static String target(String apiVersion, String kind, String namespace, String name) {
    return """
        {"kubernetes": {"apiVersion": "%s", "kind": "%s", "namespace": "%s", "name": "%s"}}"""
        .formatted(apiVersion, kind, namespace, name);
  }

  /** Certifies a contract that creates the ConfigMap {@code name} with {@code mode}. */
  void certifyCreate(String contract, String namespace, String name, String mode) throws Exception {
    certify(
        contract,
        """
        {"target": %s,
         "operations": [{"type": "create", "manifest": {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "%s"}, "data": {"mode": "%s"}}}],
         "reversibility": "reversible"}
        """
            .formatted(target("v1", "ConfigMap", namespace, name), name, mode));
  }

  /** Certifies the contract spec (JSON without its certificate) and creates or replaces it. */
  void certify(String name, String json) throws Exception {
    ObjectNode spec = (ObjectNode) CanonicalJson.mapper().readTree(json);
    spec.put("certificate", sab.certificate(spec, ns, name).sign());
    ExecutionContract contract =
        client.resources(ExecutionContract.class).inNamespace(ns).withName(name).get();
    ExecutionContractSpec certified =
        CanonicalJson.mapper().treeToValue(spec, ExecutionContractSpec.class);
    if (contract == null) {
      contract = new ExecutionContract();
      contract.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
      contract.setSpec(certified);
      client.resource(contract).create();
    } else {
      contract.setSpec(certified);
      client.resource(contract).update();
    }
  }

  /** Proposes to scale {@code web} and waits for the decision. */
  MutationProposalStatus propose(String name, int replicas) {
    return propose(name, "scale-web", Operations.scale(replicas));
  }

  /** Proposes the operation under the contract and waits for the decision. */
  MutationProposalStatus propose(
      String name, String contract, MutationProposalSpec.Operation operation) {
    submit(name, contract, operation, "test");
    return BrokerTestGround.awaitDecided(client, ns, name);
  }

  /** Creates the proposal as the agent (stamped as the webhook stamps it), without waiting. */
  MutationProposal submit(
      String name, String contract, MutationProposalSpec.Operation operation, String reason) {
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(ns)
            .withAnnotations(Map.of(SebKeys.SUBMITTED_BY, AGENT))
            .build());
    proposal.setSpec(new MutationProposalSpec("planner", contract, operation, null, reason));
    return client.resource(proposal).create();
  }

  /** The proposal as it is now. */
  MutationProposal proposal(String name) {
    return client.resources(MutationProposal.class).inNamespace(ns).withName(name).get();
  }

  /** The replicas the shop's web Deployment has now. */
  int webReplicas() {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .get()
        .getSpec()
        .getReplicas();
  }

  /** Sets the image of web's container, as someone behind seb's back would. */
  void setImage(String image) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
              return d;
            });
  }

  /** The records about the proposal with {@code uid}, in the shop's namespace. */
  List<ExecutionRecord> records(String uid) {
    return client
        .resources(ExecutionRecord.class)
        .inNamespace(ns)
        .withLabel(SebKeys.PROPOSAL_UID, uid)
        .list()
        .getItems();
  }

  /** The records of one kind about the proposal with {@code uid}. */
  List<ExecutionRecord> records(String uid, Kind kind) {
    return records(uid).stream().filter(r -> r.getSpec().kind() == kind).toList();
  }

  /** The signed claims of a record in the shop's namespace. */
  JsonNode payload(String record) throws Exception {
    String jws =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(ns)
            .withName(record)
            .get()
            .getSpec()
            .jws();
    return CanonicalJson.mapper().readTree(Base64URL.from(jws.split("\\.")[1]).decodeToString());
  }

  /** Execution ServiceAccounts, Roles and RoleBindings still there, in any namespace. */
  List<String> executionIdentitiesLeft() {
    return Stream.of(
            client
                .serviceAccounts()
                .inAnyNamespace()
                .withLabel(SebKeys.EXECUTION_IDENTITY)
                .list()
                .getItems(),
            client
                .rbac()
                .roles()
                .inAnyNamespace()
                .withLabel(SebKeys.EXECUTION_IDENTITY)
                .list()
                .getItems(),
            client
                .rbac()
                .roleBindings()
                .inAnyNamespace()
                .withLabel(SebKeys.EXECUTION_IDENTITY)
                .list()
                .getItems())
        .flatMap(List::stream)
        .map(o -> o.getKind() + " " + o.getMetadata().getName())
        .toList();
  }
}
