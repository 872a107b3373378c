package io.livesession.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The fenced code blocks of Markdown documents, and a compiler for their Java blocks, so
 * a test can prove that every snippet of the documentation compiles as shown.
 * <p>
 * <strong>Conventions for {@code ```java} blocks.</strong> A block is a whole compilation
 * unit: package (optional), imports, types. The blocks of one document are compiled
 * together, so a later block may use the types of an earlier one; blocks of different
 * documents never see each other. A block that shows only members of a class (fields,
 * methods, {@code @Bean} methods) is preceded by the marker
 * {@code <!-- java: members -->} and starts with its imports: the imports stay at the top
 * and the rest is wrapped in a class of its own. Every other HTML comment right before a
 * block is ignored.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class DocSnippets {

	/** The marker of a block that shows members of a class. */
	public static final String MEMBERS_MARKER = "<!-- java: members -->";

	private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");

	private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

	private static final Pattern PUBLIC_TYPE = Pattern.compile(
			"^public\\s+(?:(?:final|abstract|sealed|non-sealed|static)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
			Pattern.MULTILINE);

	private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+[\\w.*\\s]+;\\s*$");

	private DocSnippets() {
	}

	/**
	 * A fenced code block.
	 *
	 * @param document the Markdown file
	 * @param line the line of the block's first code line, from 1
	 * @param language the fence's language, possibly empty
	 * @param code the code
	 * @param markers the HTML comments right before the fence
	 */
	public record Block(Path document, int line, String language, String code, List<String> markers) {

		/**
		 * Whether the block carries the given marker.
		 * @param marker the whole comment, e.g. {@link DocSnippets#MEMBERS_MARKER}
		 * @return {@code true} if marked
		 */
		public boolean isMarked(String marker) {
			return this.markers.contains(marker);
		}

	}

	/**
	 * The fenced blocks of one language in a Markdown document.
	 * @param document the Markdown file
	 * @param language the fence's language, e.g. {@code java}
	 * @return the blocks in document order
	 */
	public static List<Block> blocks(Path document, String language) {
		List<String> lines = readLines(document);
		List<Block> blocks = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher open = FENCE.matcher(lines.get(i));
			if (!open.matches()) {
				continue;
			}
			int end = i + 1;
			while (end < lines.size() && !lines.get(end).trim().equals("```")) {
				end++;
			}
			if (open.group(1).equals(language)) {
				List<String> markers = new ArrayList<>();
				for (int m = i - 1; m >= 0 && lines.get(m).trim().startsWith("<!--"); m--) {
					markers.add(0, lines.get(m).trim());
				}
				String code = String.join("\n", lines.subList(i + 1, Math.min(end, lines.size()))) + "\n";
				blocks.add(new Block(document, i + 2, language, code, markers));
			}
			i = end;
		}
		return blocks;
	}

	/**
	 * Compile the Java blocks of each document (each document on its own) against this
	 * JVM's class path.
	 * @param documents the Markdown files
	 * @param output where the classes go; each document gets a sub-directory
	 * @return one line per compiler error, naming the document, the line and the error;
	 * empty when everything compiles
	 */
	public static List<String> compileJava(List<Path> documents, Path output) {
		List<String> errors = new ArrayList<>();
		int index = 0;
		for (Path document : documents) {
			errors.addAll(compileBlocks(blocks(document, "java"), output.resolve("doc" + index++)));
		}
		return errors;
	}

	/**
	 * Compile Java blocks together against this JVM's class path.
	 * @param blocks the blocks
	 * @param output the class output directory
	 * @return one line per compiler error, naming the document, the line and the error
	 */
	public static List<String> compileBlocks(List<Block> blocks, Path output) {
		if (blocks.isEmpty()) {
			return List.of();
		}
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		if (compiler == null) {
			throw new IllegalStateException("No Java compiler: run the tests on a JDK, not a JRE");
		}
		Map<JavaFileObject, Source> sources = new IdentityHashMap<>();
		for (int i = 0; i < blocks.size(); i++) {
			Source source = Source.of(blocks.get(i), i);
			sources.put(source.file(), source);
		}
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try {
			Files.createDirectories(output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", output.toString(),
				"-proc:none", "-parameters", "-Xlint:none", "-encoding", "UTF-8");
		compiler.getTask(null, null, diagnostics, options, null, sources.keySet()).call();
		List<String> errors = new ArrayList<>();
		for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
			if (diagnostic.getKind() != Diagnostic.Kind.ERROR) {
				continue;
			}
			Source source = (diagnostic.getSource() != null) ? sources.get(diagnostic.getSource()) : null;
			if (source == null) {
				errors.add("error: " + diagnostic.getMessage(Locale.ROOT));
				continue;
			}
			long line = source.documentLine(diagnostic.getLineNumber());
			errors.add(source.block().document() + ":" + line + ": error: " + diagnostic.getMessage(Locale.ROOT)
					+ "\n    " + source.lineText(diagnostic.getLineNumber()).trim());
		}
		return errors;
	}

	private static List<String> readLines(Path document) {
		try {
			return Files.readAllLines(document, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A block as a compilation unit, and how its lines map back to the document.
	 */
	private record Source(Block block, JavaFileObject file, String code, int addedLines) {

		static Source of(Block block, int index) {
			String code = block.code();
			int addedLines = 0;
			if (block.isMarked(MEMBERS_MARKER)) {
				List<String> lines = List.of(code.split("\n", -1));
				int body = 0;
				while (body < lines.size() && (lines.get(body).isBlank() || IMPORT.matcher(lines.get(body)).matches()
						|| PACKAGE.matcher(lines.get(body)).find())) {
					body++;
				}
				// The wrapper's first line shares its line with the last import, so the
				// snippet's line numbers stay those of the document.
				code = String.join("\n", lines.subList(0, body)) + " class Snippet" + index + " {\n"
						+ String.join("\n", lines.subList(body, lines.size())) + "\n}\n";
				addedLines = (body == 0) ? 1 : 0;
			}
			Matcher pkg = PACKAGE.matcher(code);
			String packagePath = pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "";
			Matcher type = PUBLIC_TYPE.matcher(code);
			String name = type.find() ? type.group(1) : "Snippet" + index;
			String text = code;
			JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + packagePath + name + ".java"),
					JavaFileObject.Kind.SOURCE) {

				@Override
				public CharSequence getCharContent(boolean ignoreEncodingErrors) {
					return text;
				}

			};
			return new Source(block, file, code, addedLines);
		}

		long documentLine(long sourceLine) {
			return this.block.line() + Math.max(0, sourceLine - 1 - this.addedLines);
		}

		String lineText(long sourceLine) {
			String[] lines = this.code.split("\n", -1);
			return (sourceLine >= 1 && sourceLine <= lines.length) ? lines[(int) sourceLine - 1] : "";
		}

	}

}
