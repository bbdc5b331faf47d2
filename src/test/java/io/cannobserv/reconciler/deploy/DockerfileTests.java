package io.cannobserv.reconciler.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile, checked statically (CI also builds the image and runs it, in
 * {@code .ci/image-check.sh}): builds with no frontend image to fetch, a Java 17 JRE base
 * pinned to a release, a non-root numeric user, an exec-form entrypoint (so SIGTERM
 * reaches the JVM and the run stops at a chunk boundary), the layered jar, and a
 * class-data-sharing archive made by a training run and used at start.
 */
class DockerfileTests {

	private static final Pattern ARG = Pattern.compile("ARG\\s+(\\w+)=(\\S+)");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

	private static List<Instruction> instructions;

	/** The instructions of the last stage: the image that runs. */
	private static List<Instruction> runtime;

	private static String runtimeImage;

	@BeforeAll
	static void parse() throws IOException {
		instructions = parse(Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8));
		Map<String, String> args = new HashMap<>();
		int lastFrom = -1;
		for (int i = 0; i < instructions.size(); i++) {
			Instruction instruction = instructions.get(i);
			Matcher arg = ARG.matcher(instruction.line());
			if (lastFrom < 0 && arg.matches()) {
				args.put(arg.group(1), arg.group(2));
			}
			if (instruction.is("FROM")) {
				lastFrom = i;
			}
		}
		assertThat(lastFrom).as("a FROM").isGreaterThanOrEqualTo(0);
		runtime = instructions.subList(lastFrom, instructions.size());
		String image = runtime.get(0).arguments().split("\\s+")[0];
		Matcher variable = VARIABLE.matcher(image);
		runtimeImage = variable.find() ? args.get(variable.group(1)) : image;
	}

	@Test
	void runtimeImageWhenBuiltIsAPinnedJava17Jre() {
		assertThat(runtimeImage).startsWith("eclipse-temurin:17.").contains("-jre");
		// pinned to a release (17.0.x_build), not a moving 17-jre tag
		assertThat(runtimeImage).matches("eclipse-temurin:17\\.\\d+\\.\\d+_\\d+-jre.*");
		assertThat(instructions).filteredOn((i) -> i.is("FROM")).hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	void buildStageWhenRunPackagesTheJarWithMaven() {
		assertThat(instructions).anySatisfy((i) -> {
			assertThat(i.is("RUN")).isTrue();
			assertThat(i.arguments()).contains("mvn -B -DskipTests package");
		});
		assertThat(instructions).anySatisfy((i) -> {
			assertThat(i.is("RUN")).isTrue();
			assertThat(i.arguments()).contains("-Djarmode=tools").contains("extract").contains("--layers");
		});
		// the layers, dependencies first (they change least)
		List<String> copies = runtime.stream().filter((i) -> i.is("COPY")).map(Instruction::arguments).toList();
		assertThat(copies).hasSize(4);
		assertThat(copies.get(0)).contains("/dependencies/");
		assertThat(copies.get(3)).contains("/application/");
	}

	@Test
	void buildWhenGivenTheCommitWritesItIntoTheJar() {
		// the context has no .git (see .dockerignore): the commit comes as a build
		// argument,
		// checked to be one, and reaches the jar's build-info as -Dbuild.commit
		assertThat(instructions).anySatisfy((i) -> assertThat(i.line()).isEqualTo("ARG GIT_COMMIT="));
		assertThat(instructions).anySatisfy((i) -> {
			assertThat(i.is("RUN")).isTrue();
			assertThat(i.arguments()).contains("*[!0-9a-f]*").contains("exit 1");
		});
		assertThat(instructions).anySatisfy((i) -> {
			assertThat(i.is("RUN")).isTrue();
			assertThat(i.arguments()).contains("mvn -B -DskipTests package ${GIT_COMMIT:+-Dbuild.commit=$GIT_COMMIT}");
		});
		assertThat(runtime)
			.anySatisfy((i) -> assertThat(i.line()).isEqualTo("LABEL org.opencontainers.image.revision=$GIT_COMMIT"));
	}

	@Test
	void imageWhenRunUsesANonRootNumericUser() {
		List<Instruction> users = runtime.stream().filter((i) -> i.is("USER")).toList();
		assertThat(users).isNotEmpty();
		String user = users.get(users.size() - 1).arguments();
		assertThat(user).matches("\\d+(:\\d+)?");
		assertThat(Integer.parseInt(user.split(":")[0])).isEqualTo(10001);
		assertThat(runtime).anySatisfy((i) -> assertThat(i.is("WORKDIR") && i.arguments().equals("/app")).isTrue());
	}

	@Test
	void entrypointWhenStartedIsExecFormWithCdsAndHeapFlags() {
		List<Instruction> entrypoints = runtime.stream().filter((i) -> i.is("ENTRYPOINT")).toList();
		assertThat(entrypoints).hasSize(1);
		List<String> entrypoint = execForm(entrypoints.get(0).arguments());
		assertThat(entrypoint.get(0)).isEqualTo("java");
		assertThat(entrypoint)
			.contains("-XX:SharedArchiveFile=application.jsa", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=75",
					"-jar")
			.doesNotContain("-XX:+ExitOnOutOfMemoryError");
		assertThat(entrypoint.get(entrypoint.size() - 1)).endsWith(".jar");
		runtime.stream().filter((i) -> i.is("CMD")).forEach((cmd) -> assertThat(cmd.arguments()).startsWith("["));
	}

	@Test
	void cdsArchiveWhenBuiltComesFromATrainingRunInTheRuntimeStage() {
		assertThat(runtime).anySatisfy((i) -> {
			assertThat(i.is("RUN")).isTrue();
			assertThat(i.arguments()).contains("-XX:ArchiveClassesAtExit=application.jsa")
				.contains("-Dspring.context.exit=onRefresh")
				.contains("test -s application.jsa");
		});
	}

	@Test
	void buildWhenStartedFetchesNoFrontendImage() throws IOException {
		// a "# syntax=" directive has BuildKit pull that frontend from a registry first;
		// the
		// built-in frontend already understands RUN --mount=type=cache
		List<String> lines = Files.readAllLines(Path.of("Dockerfile"), StandardCharsets.UTF_8);
		assertThat(lines).noneMatch((line) -> line.replace(" ", "").toLowerCase(Locale.ROOT).startsWith("#syntax="));
	}

	@Test
	void imageWhenRunHasNoVolumeAndReportsUnderSlashReports() {
		assertThat(instructions).noneSatisfy((i) -> assertThat(i.is("VOLUME")).isTrue());
		assertThat(runtime).anySatisfy(
				(i) -> assertThat(i.is("ENV") && i.arguments().contains("RECONCILER_REPORT_DIR=/reports")).isTrue());
	}

	@Test
	void buildContextWhenSentLeavesTargetAndGitOut() throws IOException {
		List<String> ignore = Files.readAllLines(Path.of(".dockerignore"), StandardCharsets.UTF_8)
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		// everything out, then only what the build needs back in
		assertThat(ignore.get(0)).isEqualTo("*");
		assertThat(ignore).contains("!pom.xml", "!src").doesNotContain("!target", "!.git", "!k8s");
	}

	private static List<String> execForm(String arguments) {
		assertThat(arguments).as("exec form").startsWith("[").endsWith("]");
		List<String> parts = new ArrayList<>();
		Matcher quoted = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(arguments);
		while (quoted.find()) {
			parts.add(quoted.group(1));
		}
		assertThat(parts).isNotEmpty();
		return parts;
	}

	private record Instruction(String keyword, String arguments) {

		boolean is(String name) {
			return this.keyword.equalsIgnoreCase(name);
		}

		String line() {
			return this.keyword + " " + this.arguments;
		}

	}

	/** Instructions with their continuation lines joined and comments dropped. */
	private static List<Instruction> parse(String dockerfile) {
		List<Instruction> parsed = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String raw : dockerfile.split("\n")) {
			String line = raw.strip();
			if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
				continue;
			}
			if (line.endsWith("\\")) {
				current.append(line, 0, line.length() - 1).append(' ');
				continue;
			}
			current.append(line);
			String instruction = current.toString().strip();
			current.setLength(0);
			if (instruction.isEmpty()) {
				continue;
			}
			int space = instruction.indexOf(' ');
			parsed.add((space < 0) ? new Instruction(instruction, "")
					: new Instruction(instruction.substring(0, space), instruction.substring(space + 1).strip()));
		}
		return parsed;
	}

}
