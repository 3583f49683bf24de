package dev.seb.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of {@code ./seb-local}: seb on this machine. Not part of the shipped {@code seb}
 * CLI (which holds only the auditor's commands): it starts a development control plane and
 * certifies its scenario with a local development authority.
 */
public final class SebLocal {

  static final String HELP =
      """
      usage: seb-local <command>

        up [--scenario-only | --no-scenario]
                        start seb on this machine (kube-apiserver + etcd, operator, broker,
                        admission webhook), run the guided scenario, stay up until Ctrl-C
        scenario        run the guided scenario against the running local stack
        status          show what of the local stack runs
        down            stop the local stack started from another terminal
      """;

  private SebLocal() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), Path.of("").toAbsolutePath(), System.out, System.err));
  }

  /** Runs a command; {@code root} is the seb checkout the local stack works in. */
  public static int run(List<String> args, Path root, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help")) {
      out.print(HELP);
      return args.isEmpty() ? 2 : 0;
    }
    try {
      return command(args.get(0), args.subList(1, args.size()), root, out);
    } catch (LocalStackException e) {
      err.println("[seb-local] " + e.getMessage());
      return 1;
    }
  }

  private static int command(String command, List<String> options, Path root, PrintStream out) {
    return switch (command) {
      case "up" -> up(options, root, out);
      case "scenario" -> {
        Scenario.run(running(root), root, out);
        yield 0;
      }
      case "status" -> status(root, out);
      case "down" -> down(root, out);
      default -> throw new LocalStackException("unknown command '" + command + "'\n" + HELP);
    };
  }

  private static int up(List<String> options, Path root, PrintStream out) {
    for (String option : options) {
      if (!List.of("--scenario-only", "--no-scenario").contains(option)) {
        throw new LocalStackException("unknown option '" + option + "' for up\n" + HELP);
      }
    }
    boolean scenarioOnly = options.contains("--scenario-only");
    LocalStack stack = LocalStack.up(root, home(root), out);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println(
                  "\n[seb-local] stopping the broker, operator, webhook, kube-apiserver"
                      + " and etcd");
              stack.close();
              stopped.countDown();
            });
    Runtime.getRuntime().addShutdownHook(hook);
    Endpoints endpoints = stack.endpoints();
    printUsage(endpoints, root, out);
    if (!options.contains("--no-scenario")) {
      try {
        Scenario.run(endpoints, root, out);
      } catch (RuntimeException e) {
        out.println("\n[seb-local] the scenario failed: " + e.getMessage());
        out.println("[seb-local] component logs: " + endpoints.runDir());
        if (scenarioOnly) {
          return 1;
        }
      }
    }
    if (scenarioOnly) {
      return 0; // the shutdown hook stops everything
    }
    out.println(
        "\n[seb-local] seb stays up; Ctrl-C (or ./seb-local down) stops everything. Logs: "
            + endpoints.runDir());
    while (true) {
      try {
        if (stopped.await(2, TimeUnit.SECONDS)) {
          return 0;
        }
        stack.checkAlive();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      } catch (LocalStackException e) {
        out.println("[seb-local] " + e.getMessage());
        return 1;
      }
    }
  }

  /** Where the local stack keeps kubeconfigs, state and logs. */
  static Path home(Path root) {
    return root.resolve(".seb/local");
  }

  private static void printUsage(Endpoints endpoints, Path root, PrintStream out) {
    out.printf(
        """

        seb is up on the local control plane. Run these from %s:
          export PATH=$PWD/.seb/local/bin:$PATH        # kubectl and the kubectl seb plugin

          admin   (cluster-admin; also on-call with --as=oncall --as-group=seb:break-glass,
                   and the principal with --as=alice):
            kubectl --kubeconfig %s get mandates,executioncontracts -n shop
          agent   (agents/planner; may propose, may not write shop directly):
            kubectl --kubeconfig %s get mutationproposals
          auditor (auditors/auditor; reads records only):
            KUBECONFIG=%s kubectl seb records verify --jwks %s/.well-known/jwks.json

        component logs: %s
        %n""",
        root,
        root.relativize(endpoints.adminKubeconfig()),
        root.relativize(endpoints.agentKubeconfig()),
        root.relativize(endpoints.auditorKubeconfig()),
        endpoints.brokerUrl(),
        endpoints.runDir());
  }

  private static Endpoints running(Path root) {
    Endpoints endpoints =
        Endpoints.read(home(root))
            .orElseThrow(
                () -> new LocalStackException("seb's local stack is not up; ./seb-local up"));
    if (!endpoints.launcherAlive()) {
      throw new LocalStackException(
          "seb's local stack is not running any more (its launcher exited); ./seb-local down"
              + " cleans up, ./seb-local up starts it again");
    }
    return endpoints;
  }

  private static int status(Path root, PrintStream out) {
    var state = Endpoints.read(home(root));
    if (state.isEmpty()) {
      out.println("seb's local stack is not up");
      return 3;
    }
    Endpoints endpoints = state.get();
    boolean healthy = true;
    for (Map.Entry<String, Long> process : endpoints.pids().entrySet()) {
      boolean alive =
          ProcessHandle.of(process.getValue()).map(ProcessHandle::isAlive).orElse(false);
      String health = endpoints.health().get(process.getKey());
      String ready = health == null ? "" : (ready(health) ? "  ready" : "  NOT READY");
      healthy &= alive && !ready.contains("NOT");
      out.printf(
          "%-20s pid %-8d %s%s%n",
          process.getKey(), process.getValue(), alive ? "running" : "STOPPED", ready);
    }
    out.println("logs: " + endpoints.runDir());
    return healthy ? 0 : 1;
  }

  private static boolean ready(String url) {
    try {
      return HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int down(Path root, PrintStream out) {
    var state = Endpoints.read(home(root));
    if (state.isEmpty()) {
      out.println("seb's local stack is not up");
      return 0;
    }
    Endpoints endpoints = state.get();
    // the launcher stops its children in order; whatever is left after that is stopped directly
    ProcessHandle.of(endpoints.pids().get("launcher")).ifPresent(p -> stop(p, out));
    endpoints.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(p -> stop(p, out)));
    try {
      Files.deleteIfExists(Endpoints.stateFile(home(root)));
    } catch (IOException e) {
      throw new LocalStackException("cannot remove " + Endpoints.stateFile(home(root)), e);
    }
    out.println("seb's local stack is down; logs stay in " + endpoints.runDir());
    return 0;
  }

  private static void stop(ProcessHandle process, PrintStream out) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      out.println("pid " + process.pid() + " did not stop within 30 s; killing it");
      process.destroyForcibly();
    }
  }
}
