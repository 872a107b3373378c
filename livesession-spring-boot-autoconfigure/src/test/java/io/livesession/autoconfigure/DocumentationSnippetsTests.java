package io.livesession.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.livesession.test.DocSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} snippet of README.md and docs/*.md compiles as shown, imports
 * included, against this module's test class path (the starter's modules, Redis,
 * Security, the resource server and Actuator). The conventions for snippets are those of
 * {@link DocSnippets}: a whole compilation unit, or members preceded by
 * {@code <!-- java: members -->}.
 */
class DocumentationSnippetsTests {

	private static final Path ROOT = Path.of("..");

	@TempDir
	Path classes;

	@Test
	void everyJavaSnippetOfTheReadmeAndTheDocsCompiles() throws IOException {
		List<Path> documents = documents();
		int snippets = 0;
		for (Path document : documents) {
			snippets += DocSnippets.blocks(document, "java").size();
		}
		assertThat(snippets).as("Java snippets in %s", documents).isGreaterThanOrEqualTo(15);
		List<String> errors = DocSnippets.compileJava(documents, this.classes);
		assertThat(errors).as("compiler errors in the documentation's Java snippets:%n%s", String.join("\n", errors))
			.isEmpty();
	}

	@Test
	void aSnippetThatDoesNotCompileIsReportedWithItsFileLineAndError(@TempDir Path docs) throws IOException {
		Path guide = docs.resolve("guide.md");
		Files.writeString(guide, """
				# A guide

				```java
				import java.util.List;

				class Good {
					List<String> names = List.of();
				}
				```

				Some text.

				```java
				class Bad {
					String name = undefinedThing();
				}
				```
				""");
		List<String> errors = DocSnippets.compileJava(List.of(guide), this.classes);
		assertThat(errors).hasSize(1);
		assertThat(errors.get(0)).startsWith(guide + ":15: error: cannot find symbol").contains("undefinedThing()");
	}

	@Test
	void aSnippetWithoutItsImportsDoesNotCompile(@TempDir Path docs) throws IOException {
		Path guide = docs.resolve("guide.md");
		Files.writeString(guide, """
				```java
				@LiveController
				class Actions {
				}
				```
				""");
		assertThat(DocSnippets.compileJava(List.of(guide), this.classes)).singleElement()
			.asString()
			.startsWith(guide + ":2: error: cannot find symbol");
	}

	@Test
	void membersAfterTheMarkerCompileInAClassWithTheirImportsAndKeepTheirLines(@TempDir Path docs) throws IOException {
		Path guide = docs.resolve("guide.md");
		Files.writeString(guide, """
				<!-- java: members -->
				```java
				import io.livesession.GroupInitializer;
				import org.springframework.context.annotation.Bean;

				@Bean
				GroupInitializer initializer() {
					return (state) -> state.setAttribute("a", 1);
				}

				@Bean
				GroupInitializer broken() {
					return (state) -> state.setAttribute("a", missing);
				}
				```
				""");
		assertThat(DocSnippets.compileJava(List.of(guide), this.classes)).singleElement()
			.asString()
			.startsWith(guide + ":13: error: cannot find symbol");
	}

	@Test
	void snippetsOfOneDocumentSeeEachOtherAndThoseOfAnotherDoNot(@TempDir Path docs) throws IOException {
		Path first = docs.resolve("first.md");
		Files.writeString(first, """
				```java
				package com.example;

				public record Counter(int count) {
				}
				```

				```java
				package com.example;

				class UsesCounter {
					Counter counter = new Counter(1);
				}
				```
				""");
		Path second = docs.resolve("second.md");
		Files.writeString(second, """
				```java
				package com.example;

				class AlsoUsesCounter {
					Counter counter = new Counter(1);
				}
				```
				""");
		assertThat(DocSnippets.compileJava(List.of(first), this.classes)).isEmpty();
		assertThat(DocSnippets.compileJava(List.of(first, second), this.classes)).isNotEmpty()
			.allSatisfy((error) -> assertThat(error).startsWith(second + ":5: error: cannot find symbol"));
	}

	private static List<Path> documents() throws IOException {
		List<Path> documents = new ArrayList<>();
		documents.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		return documents;
	}

}
