import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Validates rendered Kubernetes manifests against the Kubernetes OpenAPI schema, offline.
 * <p>
 * The schema comes as the official Java client's model (io.kubernetes:client-java-api),
 * generated from the Kubernetes OpenAPI document: one class per definition, one
 * {@code @SerializedName} field per property with its type, and the required properties in
 * {@code openapiRequiredFields}. Each document is walked against its kind's class: a property
 * the schema does not define (a misspelt field), a value of the wrong JSON type, or a
 * missing required property fails it, with the path to the offending value. The generated
 * {@code validateJsonElement} runs too, as a second opinion. Not checked: enum values and
 * formats (the generated model keeps them as plain strings), and the API server's own
 * cross-field validation (the repository's DeploymentManifestTests pin the values that matter).
 * <p>
 * Usage: {@code java -cp CLASSPATH ManifestValidator.java [--json-out FILE] FILE.yaml...}
 * (multi-document YAML, as {@code kubectl kustomize} prints it). Exit 0 when every document is
 * valid, 1 otherwise. {@code --json-out} also writes the documents as one JSON array, for the
 * second pass ({@code enum-check.mjs}) that checks enum values and formats.
 */
public class ManifestValidator {

	/** The kinds this repository deploys. Add a row to deploy another. */
	private static final Map<String, Class<?>> KINDS = Map.of(
			"v1/Namespace", V1Namespace.class,
			"v1/ServiceAccount", V1ServiceAccount.class,
			"v1/ConfigMap", V1ConfigMap.class,
			"v1/Secret", V1Secret.class,
			"batch/v1/CronJob", V1CronJob.class,
			"batch/v1/Job", V1Job.class,
			"networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);

	/**
	 * Custom resources: the Kubernetes client has no model of them. The second pass checks
	 * them against their CRD's schema (enum-check.mjs), and promtool checks the rules.
	 */
	private static final Map<String, String> CUSTOM_KINDS = Map.of("monitoring.coreos.com/v1/PrometheusRule",
			"the Prometheus Operator's CRD: pass 2 checks it against the CRD's schema, promtool its rules");

	private static final String MODELS = "io.kubernetes.client.openapi.models.";

	private final List<String> errors = new ArrayList<>();

	public static void main(String[] args) throws IOException {
		if (args.length == 0 || args[0].equals("--help")) {
			System.out.println("Usage: java -cp CLASSPATH ManifestValidator.java [--json-out FILE] FILE.yaml...");
			System.out.println("Validates each document against the Kubernetes OpenAPI schema (client-java-api models).");
			System.exit(args.length == 0 ? 2 : 0);
		}
		int documents = 0;
		int invalid = 0;
		Path jsonOut = null;
		JsonArray all = new JsonArray();
		List<String> files = new ArrayList<>(List.of(args));
		if (files.size() >= 2 && files.get(0).equals("--json-out")) {
			jsonOut = Path.of(files.get(1));
			files = files.subList(2, files.size());
		}
		for (String arg : files) {
			Path file = Path.of(arg);
			int index = 0;
			for (Object document : load(file)) {
				index++;
				if (document == null) {
					continue;
				}
				documents++;
				JsonObject entry = new JsonObject();
				entry.addProperty("source", file + " #" + index);
				entry.add("document", new Gson().toJsonTree(document));
				all.add(entry);
				ManifestValidator validator = new ManifestValidator();
				String custom = customKind(document);
				if (custom != null) {
					System.out.println("custom   " + file + " #" + index + " (" + custom + ")");
					continue;
				}
				String name = validator.validateDocument(document);
				String where = file + " #" + index + " " + name;
				if (validator.errors.isEmpty()) {
					System.out.println("valid    " + where);
				}
				else {
					invalid++;
					System.out.println("INVALID  " + where);
					validator.errors.forEach((error) -> System.out.println("           " + error));
				}
			}
		}
		if (jsonOut != null) {
			Files.writeString(jsonOut, all.toString(), StandardCharsets.UTF_8);
		}
		System.out.printf("%d document(s), %d invalid%n", documents, invalid);
		if (documents == 0) {
			System.out.println("no documents: nothing was validated");
			System.exit(1);
		}
		System.exit(invalid == 0 ? 0 : 1);
	}

	private static String customKind(Object document) {
		if (document instanceof Map<?, ?> map) {
			return CUSTOM_KINDS.get(map.get("apiVersion") + "/" + map.get("kind"));
		}
		return null;
	}

	private static Iterable<Object> load(Path file) throws IOException {
		// Kubernetes reads YAML as JSON: no timestamps (a date stays a string)
		LoaderOptions options = new LoaderOptions();
		Resolver resolver = new Resolver() {
			@Override
			public void addImplicitResolver(org.yaml.snakeyaml.nodes.Tag tag, Pattern regexp, String first,
					int limit) {
				if (!tag.equals(org.yaml.snakeyaml.nodes.Tag.TIMESTAMP)) {
					super.addImplicitResolver(tag, regexp, first, limit);
				}
			}
		};
		Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
				options, resolver);
		List<Object> documents = new ArrayList<>();
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			yaml.loadAll(reader).forEach(documents::add);
		}
		return documents;
	}

	private String validateDocument(Object document) {
		JsonElement json = new Gson().toJsonTree(document);
		if (!json.isJsonObject()) {
			this.errors.add("a document must be a mapping, was " + json);
			return "?";
		}
		JsonObject object = json.getAsJsonObject();
		String apiVersion = string(object, "apiVersion");
		String kind = string(object, "kind");
		JsonElement metadata = object.get("metadata");
		String name = (metadata != null && metadata.isJsonObject()) ? string(metadata.getAsJsonObject(), "name") : null;
		String label = kind + "/" + name;
		if (apiVersion == null || kind == null) {
			this.errors.add("apiVersion and kind are required");
			return label;
		}
		if (name == null) {
			this.errors.add("metadata.name is required");
		}
		Class<?> model = KINDS.get(apiVersion + "/" + kind);
		if (model == null) {
			this.errors.add("unknown apiVersion/kind " + apiVersion + "/" + kind + " (known: " + KINDS.keySet()
					+ "; add it to ManifestValidator.KINDS if it is right)");
			return label;
		}
		walk(object, model, "");
		try {
			model.getMethod("validateJsonElement", JsonElement.class).invoke(null, object);
		}
		catch (ReflectiveOperationException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (this.errors.isEmpty()) {
				this.errors.add("generated validation: " + cause.getMessage());
			}
		}
		return label;
	}

	/** Checks {@code value} against the model class {@code type}, recursively. */
	private void walk(JsonElement value, Type type, String path) {
		if (value == null || value.isJsonNull()) {
			return;
		}
		Class<?> raw = rawClass(type);
		if (raw == Object.class) {
			return;
		}
		if (raw == String.class || raw == byte[].class || raw == java.time.OffsetDateTime.class
				|| raw == java.time.LocalDate.class) {
			expect(value.isJsonPrimitive() && value.getAsJsonPrimitive().isString(), value, "a string", path);
		}
		else if (raw == Integer.class || raw == Long.class) {
			expect(isIntegral(value), value, "an integer", path);
		}
		else if (raw == Double.class || raw == Float.class || raw == java.math.BigDecimal.class) {
			expect(value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber(), value, "a number", path);
		}
		else if (raw == Boolean.class) {
			expect(value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean(), value, "a boolean", path);
		}
		else if (raw == IntOrString.class) {
			expect(isIntegral(value) || (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()), value,
					"an integer or a string", path);
		}
		else if (raw == Quantity.class) {
			expect(value.isJsonPrimitive() && !value.getAsJsonPrimitive().isBoolean(), value,
					"a quantity such as 500m or 512Mi", path);
		}
		else if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
			if (expect(value.isJsonArray(), value, "a list", path)) {
				Type element = typeArgument(type, 0);
				JsonArray array = value.getAsJsonArray();
				for (int i = 0; i < array.size(); i++) {
					walk(array.get(i), element, path + "[" + i + "]");
				}
			}
		}
		else if (Map.class.isAssignableFrom(raw)) {
			if (expect(value.isJsonObject(), value, "a mapping", path)) {
				Type element = typeArgument(type, 1);
				for (Map.Entry<String, JsonElement> entry : value.getAsJsonObject().entrySet()) {
					walk(entry.getValue(), element, path + "[" + entry.getKey() + "]");
				}
			}
		}
		else if (raw.getName().startsWith(MODELS)) {
			if (expect(value.isJsonObject(), value, "a mapping (" + raw.getSimpleName() + ")", path)) {
				walkModel(value.getAsJsonObject(), raw, path);
			}
		}
		else {
			this.errors.add(display(path) + ": the validator does not know the type " + type.getTypeName());
		}
	}

	private void walkModel(JsonObject object, Class<?> model, String path) {
		Map<String, Field> properties = properties(model);
		for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
			String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
			Field field = properties.get(entry.getKey());
			if (field == null) {
				this.errors.add(display(child) + ": unknown field \"" + entry.getKey() + "\" in " + model.getSimpleName()
						+ " (" + String.join(", ", properties.keySet()) + ")");
				continue;
			}
			walk(entry.getValue(), field.getGenericType(), child);
		}
		for (String required : requiredFields(model)) {
			if (!object.has(required) || object.get(required).isJsonNull()) {
				this.errors.add(display(path) + ": missing required field \"" + required + "\" of "
						+ model.getSimpleName());
			}
		}
	}

	private static Map<String, Field> properties(Class<?> model) {
		Map<String, Field> properties = new LinkedHashMap<>();
		for (Field field : model.getDeclaredFields()) {
			SerializedName name = field.getAnnotation(SerializedName.class);
			if (name != null && !Modifier.isStatic(field.getModifiers())) {
				properties.put(name.value(), field);
			}
		}
		return properties;
	}

	@SuppressWarnings("unchecked")
	private static Collection<String> requiredFields(Class<?> model) {
		try {
			Field field = model.getDeclaredField("openapiRequiredFields");
			field.setAccessible(true);
			return (Collection<String>) field.get(null);
		}
		catch (ReflectiveOperationException ex) {
			return List.of();
		}
	}

	private boolean expect(boolean condition, JsonElement value, String what, String path) {
		if (!condition) {
			this.errors.add(display(path) + ": expected " + what + ", found " + value);
		}
		return condition;
	}

	private static boolean isIntegral(JsonElement value) {
		if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
			return false;
		}
		JsonPrimitive primitive = value.getAsJsonPrimitive();
		return primitive.getAsBigDecimal().stripTrailingZeros().scale() <= 0;
	}

	private static Class<?> rawClass(Type type) {
		if (type instanceof Class<?> c) {
			return c;
		}
		if (type instanceof ParameterizedType p) {
			return (Class<?>) p.getRawType();
		}
		return Object.class;
	}

	private static Type typeArgument(Type type, int index) {
		if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
			return p.getActualTypeArguments()[index];
		}
		return Object.class;
	}

	private static String string(JsonObject object, String key) {
		JsonElement value = object.get(key);
		return (value != null && value.isJsonPrimitive()) ? value.getAsString() : null;
	}

	private static String display(String path) {
		return path.isEmpty() ? "(document)" : path;
	}

}
