package dev.seb.cli.records;

import com.nimbusds.jose.jwk.JWKSet;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.record.ChainSummary;
import dev.seb.contracts.record.RecordChainVerifier;
import dev.seb.contracts.record.RecordClaims;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an auditor runs: takes the {@code ExecutionRecord}s as stored in the cluster and the
 * broker's published keys, and checks, per chain, every signature, every link and that no record is
 * missing; also that each resource's readable fields match the record it carries. A break names the
 * record (namespace/name and seq).
 */
public final class RecordsVerify {

  private RecordsVerify() {}

  /**
   * One verified record, as the table shows it; {@code proposal} is the proposal's namespace/name,
   * or for a break-glass or unprotect record who did what ({@code user operation resource
   * namespace/name}).
   */
  public record Row(
      String chain,
      long seq,
      String kind,
      String proposal,
      String decision,
      String reason,
      boolean executed,
      String resource) {}

  /** The result for one chain: its rows if it verified, or what broke. */
  public record ChainResult(String chain, List<Row> rows, String headDigest, String broken) {

    /** Whether the chain verified. */
    public boolean verified() {
      return broken == null;
    }
  }

  /** The result for every chain found. */
  public record Report(List<ChainResult> chains) {

    /** Whether every chain verified (and there was at least one). */
    public boolean verified() {
      return !chains.isEmpty() && chains.stream().allMatch(ChainResult::verified);
    }

    /** Rows of all verified chains. */
    public List<Row> rows() {
      return chains.stream().flatMap(c -> c.rows().stream()).toList();
    }
  }

  /** Verifies the given records (of any chains, in any order) against the given keys. */
  public static Report verify(List<ExecutionRecord> records, JWKSet keys) {
    Map<String, List<ExecutionRecord>> byChain = new TreeMap<>();
    for (ExecutionRecord record : records) {
      String chain = record.getSpec() == null ? null : record.getSpec().chain();
      byChain.computeIfAbsent(String.valueOf(chain), c -> new ArrayList<>()).add(record);
    }
    List<ChainResult> results = new ArrayList<>();
    byChain.forEach((chain, members) -> results.add(verifyChain(chain, members, keys)));
    return new Report(results);
  }

  private static ChainResult verifyChain(String chain, List<ExecutionRecord> members, JWKSet keys) {
    List<ExecutionRecord> ordered =
        members.stream()
            .sorted(
                Comparator.comparing(
                    (ExecutionRecord r) -> r.getSpec().sequence(),
                    Comparator.nullsFirst(Comparator.naturalOrder())))
            .toList();
    String missing = missingRecords(chain, ordered);
    if (missing != null) {
      return new ChainResult(chain, List.of(), null, missing);
    }
    List<String> jws = ordered.stream().map(r -> r.getSpec().jws()).toList();
    ChainSummary summary;
    try {
      summary = RecordChainVerifier.verify(jws, keys, chain);
    } catch (VerificationException e) {
      return new ChainResult(chain, List.of(), null, nameRecord(e.getMessage(), ordered));
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      ExecutionRecord resource = ordered.get(i);
      RecordClaims claims = summary.records().get(i);
      String mismatch = readableMismatch(resource.getSpec(), claims, jws.get(i));
      if (mismatch != null) {
        return new ChainResult(
            chain,
            List.of(),
            null,
            "record "
                + resourceName(resource)
                + " (seq "
                + claims.seq()
                + "): its readable fields do not match the signed record: "
                + mismatch);
      }
      rows.add(row(claims, resourceName(resource)));
    }
    return new ChainResult(chain, rows, summary.headDigest(), null);
  }

  /** A gap in the stored sequence numbers, named by the records on either side. */
  private static String missingRecords(String chain, List<ExecutionRecord> ordered) {
    long expected = 0;
    ExecutionRecord previous = null;
    for (ExecutionRecord record : ordered) {
      Long seq = record.getSpec().sequence();
      if (seq == null) {
        return "record " + resourceName(record) + " has no sequence";
      }
      if (seq > expected) {
        return "chain "
            + chain
            + ": "
            + (seq - expected == 1
                ? "record seq " + expected + " is"
                : "records seq " + expected + ".." + (seq - 1) + " are")
            + " missing"
            + (previous == null ? "" : " after " + resourceName(previous))
            + " (next present: "
            + resourceName(record)
            + ", seq "
            + seq
            + ")";
      }
      expected = seq + 1;
      previous = record;
    }
    return null;
  }

  private static String readableMismatch(
      ExecutionRecordSpec spec, RecordClaims claims, String jws) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(spec.sequence(), claims.seq())) {
      differences.add("sequence " + spec.sequence() + " vs " + claims.seq());
    }
    if (!Objects.equals(spec.digest(), CanonicalJson.sha256(jws))) {
      differences.add("digest");
    }
    if (!Objects.equals(spec.previousDigest(), claims.prev())) {
      differences.add("previousDigest");
    }
    if (!Objects.equals(
        spec.kind() == null ? null : spec.kind().name(),
        claims.kind() == null ? null : claims.kind().name())) {
      differences.add("kind " + spec.kind() + " vs " + claims.kind());
    }
    String proposal =
        claims.content().proposal() == null
            ? null
            : claims.content().proposal().namespace() + "/" + claims.content().proposal().name();
    if (spec.proposalRef() != null && !spec.proposalRef().equals(proposal)) {
      differences.add("proposalRef " + spec.proposalRef() + " vs " + proposal);
    }
    return differences.isEmpty() ? null : String.join(", ", differences);
  }

  private static Row row(RecordClaims claims, String resource) {
    var content = claims.content();
    String proposal =
        content.proposal() != null
            ? content.proposal().namespace() + "/" + content.proposal().name()
            : content.admission() != null ? content.admission().summary() : "-";
    String reason =
        content.reasons().isEmpty()
            ? "-"
            : content.reasons().stream()
                .map(r -> String.valueOf(r.code()))
                .collect(Collectors.joining(","));
    return new Row(
        claims.chain(),
        claims.seq(),
        RecordClaims.kindName(claims.kind()),
        proposal,
        content.decision() == null ? "-" : content.decision().name(),
        reason,
        claims.executed(),
        resource);
  }

  /** Turns the verifier's "record seq N" into the resource that holds it. */
  private static String nameRecord(String message, List<ExecutionRecord> ordered) {
    for (ExecutionRecord record : ordered) {
      String seq = "seq " + record.getSpec().sequence();
      if (message.matches("(?s).*\\b" + seq + "\\b.*")) {
        return "record " + resourceName(record) + ": " + message;
      }
    }
    return message;
  }

  private static String resourceName(ExecutionRecord record) {
    return record.getMetadata().getNamespace() + "/" + record.getMetadata().getName();
  }

  /** The report as a table, one line per record, then one line per chain. */
  public static String table(Report report) {
    StringBuilder out = new StringBuilder();
    String format = "%-10s %4s  %-11s  %-34s %-6s %-22s %-8s%n";
    out.append(
        String.format(format, "CHAIN", "SEQ", "KIND", "PROPOSAL", "DECIS.", "REASON", "EXECUTED"));
    for (Row row : report.rows()) {
      out.append(
          String.format(
              format,
              row.chain(),
              row.seq(),
              row.kind(),
              row.proposal(),
              row.decision(),
              row.reason(),
              row.executed()));
    }
    for (ChainResult chain : report.chains()) {
      out.append(
          chain.verified()
              ? "chain "
                  + chain.chain()
                  + ": "
                  + chain.rows().size()
                  + " records, signatures and links verified, no gaps; head "
                  + chain.headDigest()
                  + "\n"
              : "chain " + chain.chain() + ": BROKEN: " + chain.broken() + "\n");
    }
    if (report.chains().isEmpty()) {
      out.append("no records found: nothing is verified\n");
    }
    return out.toString();
  }
}
