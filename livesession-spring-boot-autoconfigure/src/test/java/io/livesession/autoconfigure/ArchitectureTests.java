package io.livesession.autoconfigure;

import java.net.URL;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.livesession.LiveConnection;
import io.livesession.redis.RedisPresence;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules on what may import what, checked on the main classes of every livesession
 * module on this test class path (core, Redis, this auto-configuration, the test
 * support): the layering docs/architecture.md describes, so that a change that breaks it
 * fails the build instead of waiting for a review.
 */
class ArchitectureTests {

	private static final String ROOT = "io.livesession";

	/**
	 * The application-facing API, the only types of the root package: what an application
	 * implements, injects, annotates or catches. Events live in
	 * {@code io.livesession.event}, implementations in a subpackage per feature.
	 */
	private static final Set<String> ROOT_API = Set.of("ActionData", "BroadcastTarget", "Broadcaster",
			"ConnectInterceptor", "ConnectRequest", "ConnectionRegistry", "ConnectionRejectedException", "Frame",
			"GroupAttribute", "GroupIdPage", "GroupInitializer", "GroupResolver", "GroupState",
			"GroupTooLargeException", "LiveAction", "LiveActionException", "LiveConnection", "LiveController",
			"LoginMergeHandler", "Presence", "SessionGroup", "SessionGroupUnavailableException", "SessionGroups",
			"Topics", "UserGroups");

	private static final JavaClasses ALL = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	private static final JavaClasses CORE = classesOfModuleWith(LiveConnection.class);

	private static final JavaClasses REDIS = classesOfModuleWith(RedisPresence.class);

	private static final JavaClasses AUTOCONFIGURE = classesOfModuleWith(LiveSessionAutoConfiguration.class);

	@Test
	void theImportedClassesCoverEveryModule() {
		assertThat(CORE.contain(LiveConnection.class)).isTrue();
		assertThat(CORE.contain(RedisPresence.class)).isFalse();
		assertThat(REDIS.contain(RedisPresence.class)).isTrue();
		assertThat(AUTOCONFIGURE.contain(LiveSessionAutoConfiguration.class)).isTrue();
		assertThat(ALL.contain(LiveConnection.class)).isTrue();
		assertThat(ALL.contain(RedisPresence.class)).isTrue();
		assertThat(ALL.contain(LiveSessionAutoConfiguration.class)).isTrue();
		assertThat(ALL.contain(ArchitectureTests.class)).isFalse();
	}

	@Test
	void theLivesessionPackagesHaveNoCycles() {
		slices().assignedFrom(packagesBelow(ROOT)).should().beFreeOfCycles().check(ALL);
	}

	@Test
	void thePackagesOfTheCoreModuleHaveNoCycles() {
		slices().assignedFrom(packagesBelow(ROOT)).should().beFreeOfCycles().check(CORE);
	}

	@Test
	void thePackagesOfTheAutoConfigurationModuleHaveNoCycles() {
		slices().assignedFrom(packagesBelow(ROOT + ".autoconfigure")).should().beFreeOfCycles().check(AUTOCONFIGURE);
	}

	@Test
	void theCoreModuleImportsNeitherSpringBootNorRedis() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.boot..", "org.springframework.data.redis..", "io.lettuce..")
			.check(CORE);
	}

	@Test
	void onlyTheWebSocketAdapterAndTheAutoConfigurationImportSpringWebSocket() {
		noClasses().that()
			.resideOutsideOfPackages(ROOT + ".websocket..", ROOT + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.web.socket..")
			.check(ALL);
	}

	@Test
	void eventsImportNoServletNorSpringWebTypes() {
		noClasses().that()
			.resideInAPackage(ROOT + ".event..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..", "org.springframework.http..")
			.check(ALL);
	}

	@Test
	void theRootPackageHoldsOnlyTheApplicationFacingApi() {
		classes().that()
			.resideInAPackage(ROOT)
			.and()
			.areTopLevelClasses()
			.and()
			.doNotHaveSimpleName("package-info")
			.should(beOneOf(ROOT_API))
			.check(ALL);
		Set<String> present = new TreeSet<>();
		ALL.stream()
			.filter((javaClass) -> javaClass.getPackageName().equals(ROOT) && javaClass.isTopLevelClass())
			.forEach((javaClass) -> present.add(javaClass.getSimpleName()));
		assertThat(present).as("types of the root package").containsAll(ROOT_API);
	}

	// The module's classes folder or jar, whichever the build put on the class path
	// (importUrl reads both; importPath would read no jar).
	private static JavaClasses classesOfModuleWith(Class<?> type) {
		URL location = type.getProtectionDomain().getCodeSource().getLocation();
		return new ClassFileImporter().importUrl(location);
	}

	/**
	 * One slice for a package and one for each of its direct subpackages (with their own
	 * subpackages): unlike {@code matching("root.(*)..")}, the package itself takes part,
	 * so a cycle through the root package is found too.
	 */
	private static SliceAssignment packagesBelow(String root) {
		return new SliceAssignment() {

			@Override
			public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
				String name = javaClass.getPackageName();
				if (name.equals(root)) {
					return SliceIdentifier.of(root);
				}
				if (!name.startsWith(root + ".")) {
					return SliceIdentifier.ignore();
				}
				List<String> parts = List.of(name.substring(root.length() + 1).split("\\."));
				return SliceIdentifier.of(root + "." + parts.get(0));
			}

			@Override
			public String getDescription() {
				return root + " and each of its subpackages";
			}

		};
	}

	private static ArchCondition<JavaClass> beOneOf(Set<String> simpleNames) {
		return new ArchCondition<>("be one of " + new TreeSet<>(simpleNames)) {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				boolean listed = simpleNames.contains(javaClass.getSimpleName());
				events.add(new SimpleConditionEvent(javaClass, listed,
						javaClass.getName() + (listed ? " is" : " is not") + " listed as application-facing API"));
			}

		};
	}

}
