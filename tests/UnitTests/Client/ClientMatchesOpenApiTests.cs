using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageCatalog.Client;

namespace ImageCatalog.UnitTests.Client;

/// <summary>
/// The typed client against docs/openapi.json (which another test keeps equal to the served document): the same
/// operations, parameters, headers, success statuses, and the same members, required-ness and types in every body.
/// </summary>
public sealed class ClientMatchesOpenApiTests
{
    private static readonly JsonObject Document = LoadDocument();

    private static IEnumerable<TestCaseData> DocumentOperations() =>
        from path in Document["paths"]!.AsObject()
        where path.Key.StartsWith("/v1/", StringComparison.Ordinal)
        from operation in path.Value!.AsObject()
        select new TestCaseData(operation.Key.ToUpperInvariant(), path.Key).SetName($"{operation.Key.ToUpperInvariant()} {path.Key}");

    private static IEnumerable<TestCaseData> ClientOperations() =>
        ImageCatalogClient.Operations.Select(operation => new TestCaseData(operation).SetName(operation.Name));

    [TestCaseSource(nameof(DocumentOperations))]
    public void Every_operation_of_the_document_is_one_of_the_client(string method, string path) =>
        Assert.That(ImageCatalogClient.Operations.Where(operation => operation.Method == method && operation.Path == path), Has.Exactly(1).Items);

    [TestCaseSource(nameof(ClientOperations))]
    public void The_client_sends_what_the_document_declares(ClientOperation client)
    {
        var operation = Document["paths"]![client.Path]?[client.Method.ToLowerInvariant()]?.AsObject();
        Assert.That(operation, Is.Not.Null, $"{client.Method} {client.Path} is not in the document");
        var parameters = operation!["parameters"]?.AsArray().Select(parameter => parameter!.AsObject()).ToList() ?? [];
        var successes = operation["responses"]!.AsObject().Select(response => response.Key).Where(code => code.StartsWith('2')).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(client.QueryParameters, Is.EquivalentTo(Names(parameters, "query")), "query parameters");
            Assert.That(client.Headers, Is.EquivalentTo(Names(parameters, "header")), "headers");
            Assert.That(successes, Is.EqualTo(new[] { client.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture) }), "success status");
        });

        var response = operation["responses"]![successes.Single()]!["content"]?["application/json"]?["schema"];
        Assert.That(response is null, Is.EqualTo(client.Response is null), "a response body on both sides or on neither");
        if (response is not null)
        {
            AssertSameShape(client.Response!, response.AsObject(), client.Response!.Name, checkRequired: true);
        }

        var request = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        if (client.RequestBody is not null)
        {
            Assert.That(request, Is.Not.Null, "the document takes no JSON body");
            AssertSameShape(client.RequestBody, request!.AsObject(), client.RequestBody.Name, checkRequired: false);
        }
        else
        {
            Assert.That(operation["requestBody"]?["required"]?.GetValue<bool>() ?? false, Is.False, "the document requires a body the client does not send");
        }
    }

    private static IEnumerable<string> Names(IEnumerable<JsonObject> parameters, string location) =>
        parameters.Where(parameter => parameter["in"]!.GetValue<string>() == location).Select(parameter => parameter["name"]!.GetValue<string>());

    /// <summary>Same member names; each member's JSON type; for answers, required exactly where the client's member is not nullable.</summary>
    private static void AssertSameShape(Type type, JsonObject schema, string where, bool checkRequired)
    {
        schema = Resolve(schema);
        var properties = schema["properties"]!.AsObject();
        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(property => JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
        Assert.That(members.Keys, Is.EquivalentTo(properties.Select(property => property.Key)), $"{where}: members");
        var required = schema["required"]?.AsArray().Select(name => name!.GetValue<string>()).ToHashSet() ?? [];
        var nullability = new NullabilityInfoContext();
        foreach (var (name, member) in members)
        {
            var memberSchema = Resolve(properties[name]!.AsObject());
            var nullable = nullability.Create(member).ReadState == NullabilityState.Nullable;
            if (checkRequired)
            {
                Assert.That(required.Contains(name), Is.EqualTo(!nullable), $"{where}.{name}: required in the document exactly when not nullable in the client");
            }

            var clrType = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
            Assert.That(JsonTypes(memberSchema), Does.Contain(JsonTypeOf(clrType)), $"{where}.{name}: JSON type");
            var element = clrType.IsGenericType ? clrType.GetGenericArguments()[0] : null;
            var items = memberSchema["items"]?.AsObject();
            if (element is not null && element != typeof(string) && items is not null)
            {
                AssertSameShape(element, items, $"{where}.{name}[]", checkRequired);
            }
        }
    }

    private static JsonObject Resolve(JsonObject schema)
    {
        if (schema["$ref"] is { } reference)
        {
            return Document["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]]!.AsObject();
        }

        // A nullable reference: oneOf [null, $ref].
        var referenced = schema["oneOf"]?.AsArray().Select(option => option!.AsObject()).FirstOrDefault(option => option["$ref"] is not null);
        return referenced is null ? schema : Resolve(referenced);
    }

    private static IEnumerable<string> JsonTypes(JsonObject schema) =>
        schema["type"] switch
        {
            JsonArray types => types.Select(type => type!.GetValue<string>()),
            JsonValue type => [type.GetValue<string>()],
            _ => [],
        };

    private static string JsonTypeOf(Type type) =>
        type == typeof(string) || type == typeof(Guid) ? "string"
        : type == typeof(int) || type == typeof(long) ? "integer"
        : type == typeof(bool) ? "boolean"
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? "array"
        : "object";

    private static JsonObject LoadDocument()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ImageCatalog.sln")))
        {
            folder = folder.Parent;
        }

        return JsonNode.Parse(File.ReadAllText(Path.Combine(folder!.FullName, "docs", "openapi.json")))!.AsObject();
    }
}
