package io.cannobserv.reconciler.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.link.Link;
import io.cannobserv.reconciler.link.LinkFile;
import io.cannobserv.reconciler.link.Resource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI's image check runs the image against WireMock standalone, which answers from JSON
 * mappings ({@code .ci/image-check/wiremock/mappings}): data for another process, so they
 * cannot read the link file themselves. These tests hold them to the built-in link's
 * contract instead: every item route is the link's item path, sent with its auth header;
 * the probe's and the gone route's answers are what the link's gone rules call gone, the
 * unconfirmed route's is not; the live and archived bodies echo the id where the link
 * reads it and are archived as the link reads it.
 */
class ImageCheckMappingsTests {

	private static final Path MAPPINGS = Path.of(".ci/image-check/wiremock/mappings");

	private static final Link LINK = LinkFile.archiverWatcher();

	private static final Resource RESOURCE = LINK.resource();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void everyItemRouteIsTheLinksItemPathWithItsAuthHeader() throws IOException {
		String itemPrefix = RESOURCE.item().substring(0, RESOURCE.item().indexOf("{id}"));
		int itemRoutes = 0;
		try (Stream<Path> files = Files.list(MAPPINGS)) {
			for (Path file : files.sorted().toList()) {
				JsonNode request = mapping(file.getFileName().toString()).path("request");
				String path = request.has("urlPath") ? request.path("urlPath").asString()
						: request.path("urlPathPattern").asString();
				if (path.equals(RESOURCE.health())) {
					assertThat(request.path("headers").isMissingNode()).as(file + ": health is asked without the key")
						.isTrue();
				}
				else if (path.startsWith(itemPrefix)) {
					itemRoutes++;
					assertThat(request.path("headers").has(RESOURCE.auth().header())).as(file.toString()).isTrue();
					if (request.has("urlPathPattern")) {
						// an id the route answers, as 01WG0000000000000000000000
						String idPattern = path.substring(itemPrefix.length());
						String sample = idPattern.substring(0, idPattern.indexOf('[')) + "0".repeat(22);
						assertThat(Pattern.matches(idPattern, sample)).as(file + ": " + sample).isTrue();
						assertThat(RESOURCE.id().matches(sample)).as(file + ": the ids it answers are the link's form")
							.isTrue();
					}
				}
			}
		}
		// probe, live, archived, gone, unconfirmed, transient
		assertThat(itemRoutes).isEqualTo(6);
	}

	@Test
	void probeRouteIsTheLinksProbeAnsweredWithAGoneAnswer() throws IOException {
		JsonNode probe = mapping("probe.json");

		assertThat(probe.path("request").path("urlPath").asString()).isEqualTo(RESOURCE.probePath());
		assertThat(goneByTheLink(probe)).isTrue();
	}

	@Test
	void goneRouteIsGoneByTheLinkAndTheUnconfirmedOneIsNot() throws IOException {
		assertThat(goneByTheLink(mapping("gone.json"))).isTrue();
		assertThat(goneByTheLink(mapping("unconfirmed.json"))).isFalse();
		assertThat(goneByTheLink(mapping("route-not-found.json"))).isFalse();
	}

	@Test
	void liveAndArchivedBodiesEchoTheIdWhereTheLinkReadsItAndAreArchivedAsItReadsIt() throws IOException {
		// the id is echoed from the path segment the link's item path puts it in
		String echoed = "{{request.pathSegments.[" + (RESOURCE.item().split("/").length - 2) + "]}}";
		JsonNode live = JSON.readTree(mapping("live.json").path("response").path("body").asString());
		JsonNode archived = JSON.readTree(mapping("archived.json").path("response").path("body").asString());

		assertThat(RESOURCE.fields().idOf(live)).isEqualTo(echoed);
		assertThat(RESOURCE.fields().idOf(archived)).isEqualTo(echoed);
		assertThat(live.at(RESOURCE.fields().archived()).isNull()).isTrue();
		assertThat(archived.at(RESOURCE.fields().archived()).isString()).isTrue();
	}

	private static boolean goneByTheLink(JsonNode mapping) {
		JsonNode response = mapping.path("response");
		return LINK.gone()
			.matches(response.path("status").asInt(), response.path("headers").path("Content-Type").asString(null),
					response.path("body").asString(null));
	}

	private static JsonNode mapping(String name) throws IOException {
		return JSON.readTree(Files.readString(MAPPINGS.resolve(name)));
	}

}
