package io.payledger.ops;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code payledger-ops <command> [options]}: operator commands. Exits 0 when all is well, 1 when a
 * check finds a breach or a command fails, 2 on a usage error.
 *
 * <pre>
 *   verify [--events] [--since INSTANT] [--from-sequence N]   prove the books' invariants (and the ledger
 *                                             topics'), the whole book or each account's entries from a point on
 *   lag [--group G]... [--all-groups] [--no-relays]   consumer groups' lag per partition, relays' backlogs
 *   rebuild [--no-topic]                      recompute every balance from the entries and from ledger.entries,
 *                                             print every account that differs from its live balance
 *   replay --group G --topic T --to-... [--execute]  move a consumer group back to re-consume
 *   dlt list [--topic T.dlt] | inspect ... | redrive --topic T.dlt [--execute]
 *   topics [--producer NAME]... [--execute]    create the platform's topics (a cluster with ACLs)
 *   acls [--principal SERVICE=PRINCIPAL]... [--producer NAME]... [--execute]   the services' ACLs
 *   webhooks dead [--subscription ID] | redrive (--subscription ID | --delivery ID) [--execute]
 * </pre>
 *
 * Connection settings come from the same environment variables as the services:
 * DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, KAFKA_BOOTSTRAP_SERVERS, KAFKA_CLIENT_CONFIG, SCHEMA_REGISTRY_URL
 * (and KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR for {@code topics}). On a cluster with ACLs the tool runs as
 * the cluster's super user (docs/kafka-security.md).
 */
public final class OpsCli {

    private OpsCli() {
    }

    public static void main(String[] args) {
        // The tool's logging setup has a name of its own, not logback.xml: this jar also sits on the local
        // stack's classpath (the ACL model), whose logback.xml is the one that counts there.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "payledger-ops-logback.xml");
        }
        System.exit(run(args, System.getenv(), System.out));
    }

    public static int run(String[] args, Map<String, String> environment, PrintStream out) {
        if (args.length == 0) {
            return usage(out);
        }
        List<String> options = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "verify" -> new VerifyCommand(OpsEnvironment.of(environment), out).run(options);
                case "lag" -> new LagCommand(OpsEnvironment.of(environment), out).run(options);
                case "rebuild" -> new RebuildCommand(OpsEnvironment.of(environment), out).run(options);
                case "replay" -> new ReplayCommand(OpsEnvironment.of(environment), out).run(options);
                case "dlt" -> new DeadLetterCommand(OpsEnvironment.of(environment), out).run(options);
                case "topics" -> new TopicsCommand(OpsEnvironment.of(environment), out).run(options);
                case "acls" -> new AclsCommand(OpsEnvironment.of(environment), out).run(options);
                case "webhooks" -> new WebhooksCommand(OpsEnvironment.of(environment), out).run(options);
                default -> usage(out);
            };
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            out.println("failed: " + e);
            return 1;
        }
    }

    private static int usage(PrintStream out) {
        out.println("""
                usage: payledger-ops <command> [options]
                  verify [--events] [--since 2026-11-24T10:00:00Z] [--from-sequence N]
                                      check every invariant of the books; with --events also check that
                                      ledger.transactions has one outcome per transaction and ledger.entries
                                      each account's sequence once, in order. --since / --from-sequence: check
                                      only each account's entries from its first posted at or after the instant
                                      and/or numbered N or more, running sums from the entry before them
                  lag [--group G]... [--all-groups] [--no-relays]
                                      per consumer group (the platform's unless --group), topic and partition:
                                      committed offset, end offset (read_committed) and lag; and each relay's
                                      backlog (rows written to the database, not yet published)
                  rebuild [--no-topic]
                                      recompute every account's balance and last sequence from the entries
                                      table and from ledger.entries; print each account that differs from its
                                      live balance, exit 1 if any
                  replay --group G --topic T (--to-earliest | --to-latest | --to-offset N
                         | --to-datetime 2026-11-24T10:00:00Z | --by-duration PT1H) [--execute]
                                      show (dry run) or move where a stopped consumer group resumes
                  dlt list [--topic T.dlt] [--limit N]       what is on the dead-letter topics, from where,
                                      which consumer groups gave up on each source record, and why
                  dlt inspect --topic T.dlt --partition P --offset O    one dead letter in full, and its copies
                  dlt redrive --topic T.dlt [--partition P --offset O] [--execute]
                                      send dead letters back to their source topic, each once, for the
                                      consumer group that dead-lettered it
                  topics [--producer NAME]... [--execute]
                                      show (dry run) or create the platform's topics and each producer's
                                      command topic, which on a cluster with ACLs no service may create
                  acls [--principal SERVICE=PRINCIPAL]... [--producer NAME]... [--execute]
                                      show (dry run) or create every ACL binding the services need (each
                                      as User:<service> unless given) and producer NAME's on
                                      payments.commands.NAME; see docs/kafka-security.md
                  webhooks dead [--subscription ID] [--limit N]
                                      webhook deliveries notification-service gave up on, oldest first, and why
                  webhooks redrive (--subscription ID | --delivery ID) [--execute]
                                      show (dry run) or put dead deliveries back to be delivered again
                environment: DATABASE_URL DATABASE_USER DATABASE_PASSWORD KAFKA_BOOTSTRAP_SERVERS KAFKA_CLIENT_CONFIG
                             SCHEMA_REGISTRY_URL KAFKA_PARTITIONS KAFKA_REPLICATION_FACTOR""");
        return 2;
    }
}
