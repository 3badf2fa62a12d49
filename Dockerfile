# One image per service: docker build --build-arg SERVICE=ledger-service .
# (SERVICE=demo-seeder builds docker compose's one-shot seed container the same way.)
# The build stage is identical for every service, so Docker builds the project once and reuses it.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
ARG SERVICE
RUN useradd --system --uid 10001 payledger
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /app/app.jar
USER payledger
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
