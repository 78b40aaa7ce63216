package sh.chaser.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The layers every service keeps, checked on its compiled classes (ArchUnit): {@code api} (REST
 * resources and views) calls {@code application}, which uses {@code domain}, {@code persistence}
 * (entities and repositories) and the adapters {@code messaging} and {@code grpc}; {@code domain}
 * depends on no layer; nothing calls back into {@code api}; {@code messaging} is the application's
 * alone; {@code api} shapes views from entities but reads and writes through the application,
 * never a repository. Where an adapter package both calls the application and is called by it (a
 * gRPC server beside a gRPC client, a Kafka consumer beside a producer), the application declares an
 * interface of its own (a port: session-service's VmAgents, WorkspaceLocks, StateEvents,
 * HostReporter; workspace-service's DiskHosts) that the outbound adapter implements, so no two
 * packages depend on each other around a loop ({@link #cyclesFree}). A violation fails the build.
 */
public final class LayerRules {

    private LayerRules() {}

    /** The module's own classes under {@code sh.chaser.<root>}, without its tests. */
    public static JavaClasses of(String root) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("sh.chaser." + root);
    }

    public static void check(String root) {
        JavaClasses classes = of(root);
        String base = "sh.chaser." + root;
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("api").definedBy(base + ".api..")
                .layer("application").definedBy(base + ".application..")
                .layer("domain").definedBy(base + ".domain..")
                .layer("persistence").definedBy(base + ".persistence..")
                .layer("messaging").definedBy(base + ".messaging..")
                .layer("grpc").definedBy(base + ".grpc..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("application").mayOnlyBeAccessedByLayers("api", "grpc", "messaging")
                .whereLayer("messaging").mayOnlyBeAccessedByLayers("application")
                .check(classes);
        noClasses().that().resideInAPackage(base + ".domain..").should().dependOnClassesThat()
                .resideInAnyPackage(base + ".api..", base + ".application..", base + ".persistence..",
                        base + ".messaging..",
                        base + ".grpc..")
                .because("the domain is the model every layer shares, and depends on none").allowEmptyShould(true)
                .check(classes);
        noClasses().that().resideInAPackage(base + ".api..").should().dependOnClassesThat()
                .haveSimpleNameEndingWith("Repository")
                .because("a resource reads and writes through the application").allowEmptyShould(true).check(classes);
        noClasses().that().resideInAPackage(base + ".persistence..").should().dependOnClassesThat()
                .resideInAnyPackage(base + ".api..", base + ".application..", base + ".messaging..", base + ".grpc..")
                .because("persistence is an adapter").allowEmptyShould(true).check(classes);
        cyclesFree(classes, base);
    }

    /** No two packages under {@code base} depend on each other, directly or around a loop. */
    public static void cyclesFree(JavaClasses classes, String base) {
        slices().matching(base + ".(*)..").should().beFreeOfCycles().check(classes);
    }
}
