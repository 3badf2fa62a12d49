package io.payledger.notification.persistence;

import io.payledger.testsupport.SharedInfrastructure;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/** A database of its own for one test, on the shared PostgreSQL, migrated to notification-service's schema. */
final class NotificationDatabase {

    private NotificationDatabase() {
    }

    static Jdbi fresh(String namePrefix) {
        String url = SharedInfrastructure.postgres().createDatabase(
                namePrefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        Flyway.configure().dataSource(url, SharedInfrastructure.postgres().username(),
                        SharedInfrastructure.postgres().password())
                .schemas("notification").defaultSchema("notification")
                .locations("classpath:db/migration/notification").load().migrate();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(SharedInfrastructure.postgres().username());
        dataSource.setPassword(SharedInfrastructure.postgres().password());
        dataSource.setCurrentSchema("notification");
        return Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }
}
