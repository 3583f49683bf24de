package dev.seb.cli.records;

import com.nimbusds.jose.jwk.JWKSet;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;

/**
 * {@code seb records verify}: fetches the ExecutionRecords with the caller's kubeconfig and the
 * broker's JWKS, verifies them, prints the table and exits 0 only if every chain verified.
 */
public final class RecordsVerifyCommand {

  /** Exit status when a chain is broken (or there is nothing to verify). */
  public static final int BROKEN = 1;

  /** Exit status when the inputs could not be read. */
  public static final int USAGE = 2;

  static final String HELP =
      """
      usage: seb records verify --jwks <url|file> [--kubeconfig <file>] [--namespace <ns>]

      Fetches seb's ExecutionRecords (all namespaces unless --namespace) with the kubeconfig
      (default: $KUBECONFIG, then ~/.kube/config), and the broker's public keys from --jwks
      (its /.well-known/jwks.json, or a saved copy). Checks every record's signature, every
      chain link and that no record is missing, per chain. Prints one line per record.
      Exit status: 0 verified, 1 a chain is broken or no records were found, 2 bad input.
      """;

  private RecordsVerifyCommand() {}

  /** Runs the command with its arguments (after {@code records verify}). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    String jwks = null;
    String kubeconfig = null;
    String namespace = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-h") || arg.equals("--help")) {
        out.print(HELP);
        return 0;
      }
      if (i + 1 >= args.size()
          || !List.of("--jwks", "--kubeconfig", "--namespace", "-n").contains(arg)) {
        err.print("seb records verify: unknown or incomplete argument '" + arg + "'\n\n" + HELP);
        return USAGE;
      }
      String value = args.get(++i);
      switch (arg) {
        case "--jwks" -> jwks = value;
        case "--kubeconfig" -> kubeconfig = value;
        default -> namespace = value;
      }
    }
    if (jwks == null) {
      err.print("seb records verify: --jwks is required\n\n" + HELP);
      return USAGE;
    }
    RecordsVerify.Report report;
    try {
      report =
          RecordsVerify.verify(
              fetchRecords(kubeconfig == null ? null : Path.of(kubeconfig), namespace),
              loadKeys(jwks));
    } catch (InputException e) {
      err.println("seb records verify: " + e.getMessage());
      return USAGE;
    }
    out.print(RecordsVerify.table(report));
    return report.verified() ? 0 : BROKEN;
  }

  /** Fetches all records with a kubeconfig and verifies them against the JWKS at a URL or file. */
  public static RecordsVerify.Report fetchAndVerify(Path kubeconfig, String jwks) {
    return RecordsVerify.verify(fetchRecords(kubeconfig, null), loadKeys(jwks));
  }

  static List<ExecutionRecord> fetchRecords(Path kubeconfig, String namespace) {
    Config config;
    try {
      config =
          kubeconfig == null
              ? Config.autoConfigure(null)
              : Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException | RuntimeException e) {
      throw new InputException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      var records = client.resources(ExecutionRecord.class);
      return (namespace == null ? records.inAnyNamespace() : records.inNamespace(namespace))
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      throw new InputException(
          "cannot list ExecutionRecords at "
              + config.getMasterUrl()
              + " (HTTP "
              + e.getCode()
              + "): "
              + e.getMessage());
    }
  }

  static JWKSet loadKeys(String jwks) {
    String text;
    try {
      if (jwks.startsWith("http://") || jwks.startsWith("https://")) {
        HttpResponse<String> response =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .build()
                .send(
                    HttpRequest.newBuilder(URI.create(jwks))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new InputException(
              "--jwks " + jwks + " answered HTTP " + response.statusCode() + ", not a JWK set");
        }
        text = response.body();
      } else {
        text = Files.readString(Path.of(jwks));
      }
    } catch (IOException e) {
      throw new InputException("cannot read --jwks " + jwks + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputException("interrupted while fetching --jwks " + jwks);
    }
    try {
      JWKSet set = JWKSet.parse(text);
      if (set.getKeys().isEmpty()) {
        throw new InputException("--jwks " + jwks + " holds no keys");
      }
      return set;
    } catch (ParseException e) {
      throw new InputException("--jwks " + jwks + " is not a JWK set: " + e.getMessage());
    }
  }

  /** The command's inputs could not be read; the message names which. */
  static final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
      super(message);
    }
  }
}
