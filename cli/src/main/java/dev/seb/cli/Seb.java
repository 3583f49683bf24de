package dev.seb.cli;

import dev.seb.cli.records.RecordsVerifyCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code seb} command (also the {@code kubectl seb} plugin): the auditor's commands. The local
 * stack has its own entry point, {@code ./seb-local} ({@code local-stack/}), and is not part of it.
 */
public final class Seb {

  static final String HELP =
      """
      usage: seb <command>

        records verify --jwks <url|file> [--kubeconfig <file>] [--namespace <ns>]
                        verify seb's ExecutionRecords: signatures, chain links, gaps
      """;

  private Seb() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  /** Runs a command. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.size() >= 2 && args.get(0).equals("records") && args.get(1).equals("verify")) {
      return RecordsVerifyCommand.run(args.subList(2, args.size()), out, err);
    }
    if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help")) {
      out.print(HELP);
      return args.isEmpty() ? 2 : 0;
    }
    err.print("seb: unknown command '" + String.join(" ", args) + "'\n\n" + HELP);
    return 2;
  }
}
