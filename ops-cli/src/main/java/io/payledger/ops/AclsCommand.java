package io.payledger.ops;

import io.payledger.ops.acl.PlatformAcls;
import io.payledger.ops.acl.PlatformAcls.Grant;
import java.io.PrintStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * {@code acls}: every ACL binding the platform's services (and the producers given) need, from
 * {@link PlatformAcls}. A dry run prints them, without connecting; {@code --execute} creates them, as the
 * cluster's super user (KAFKA_CLIENT_CONFIG), keeping every binding already there: it also names bindings of
 * the same principals that the model does not have, and removes none.
 */
final class AclsCommand {

    private final OpsEnvironment environment;
    private final PrintStream out;

    AclsCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(List<String> arguments) throws Exception {
        Options options = Options.parse(arguments, Set.of("principal", "producer"), Set.of("execute"));
        PlatformAcls acls = model(options);
        List<Grant> grants = acls.grants();
        out.printf("%d ACL bindings (principal, permission, operation, resource type, pattern, resource, why):%n",
                grants.size());
        String previous = null;
        for (Grant grant : grants) {
            if (!grant.principal().equals(previous)) {
                previous = grant.principal();
                out.println(previous + ":");
            }
            out.println("  " + grant);
        }
        if (!options.flag("execute")) {
            out.println("dry run: nothing changed; add --execute to create them (as the cluster's super user)");
            return 0;
        }
        try (Admin admin = Admin.create(environment.kafka().adminConfig("payledger-ops.acls"))) {
            Collection<AclBinding> existing = admin.describeAcls(AclBindingFilter.ANY).values().get(60, TimeUnit.SECONDS);
            List<AclBinding> wanted = acls.bindings();
            long missing = wanted.stream().filter(binding -> !existing.contains(binding)).count();
            admin.createAcls(wanted).all().get(60, TimeUnit.SECONDS);
            out.printf("created %d ACL bindings; %d were there already%n", missing, wanted.size() - missing);
            Set<String> principals = new HashSet<>();
            grants.forEach(grant -> principals.add(grant.principal()));
            List<AclBinding> unknown = existing.stream()
                    .filter(binding -> principals.contains(binding.entry().principal()) && !wanted.contains(binding))
                    .toList();
            if (!unknown.isEmpty()) {
                out.printf("note: %d ACL bindings of these principals are not in the model; left as they are:%n",
                        unknown.size());
                unknown.forEach(binding -> out.println("  " + binding));
            }
            return 0;
        }
    }

    /** The model with the principals and producers the operator named. */
    static PlatformAcls model(Options options) {
        PlatformAcls acls = PlatformAcls.defaults();
        for (String principal : options.values("principal")) {
            int equals = principal.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--principal takes <service>=<principal>, e.g. "
                        + "ledger-service=User:ledger, not " + principal);
            }
            acls = acls.withPrincipal(principal.substring(0, equals), principal.substring(equals + 1));
        }
        for (String producer : options.values("producer")) {
            acls = acls.withProducer(producer);
        }
        return acls;
    }
}
