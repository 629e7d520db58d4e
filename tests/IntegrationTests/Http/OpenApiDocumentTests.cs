using System.Net;
using System.Text.Json.Nodes;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Http;

/// <summary>The served OpenAPI document describes every route with the contract's parameter names and spellings.</summary>
public sealed class OpenApiDocumentTests : ApiTest
{
    private async Task<JsonNode> DocumentAsync()
    {
        using var response = await Client.GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Test]
    public async Task The_exported_document_in_docs_is_the_served_one()
    {
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "openapi.json")))!.AsObject();
        var served = (await DocumentAsync()).AsObject();
        // Only the served document knows the address it was asked at.
        served.Remove("servers");
        exported.Remove("servers");

        Assert.That(
            JsonNode.DeepEquals(exported, served),
            Is.True,
            "docs/openapi.json is stale: dotnet run --project src/Api -- openapi \"$PWD/docs/openapi.json\"");
    }

    [Test]
    public async Task Lists_every_route_and_method()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();

        var operations = paths
            .SelectMany(path => path.Value!.AsObject().Select(method => $"{method.Key.ToUpperInvariant()} {path.Key}"))
            .Order(StringComparer.Ordinal);

        Assert.That(operations, Is.EqualTo(new[]
        {
            "DELETE /v1/{project_id}/images/group/{id}",
            "DELETE /v1/{project_id}/images/{id}",
            "GET /v1/{project_id}/images",
            "GET /v1/{project_id}/images/group",
            "GET /v1/{project_id}/images/{id}",
            "POST /v1/{project_id}/images",
            "PUT /v1/{project_id}/images/group/{id}",
        }));
    }

    [Test]
    public async Task Declares_the_query_parameters_of_the_list_operations()
    {
        var paths = (await DocumentAsync())["paths"]!;

        string[] Parameters(string path) => [.. paths[path]!["get"]!["parameters"]!.AsArray()
            .Where(parameter => (string?)parameter!["in"] == "query")
            .Select(parameter => (string)parameter!["name"]!)];

        string[] shared = ["name", "name_fuzzy_match", "namespace", "type", "workspace_id", "limit", "offset"];
        Assert.That(Parameters("/v1/{project_id}/images/group"), Is.EqualTo(shared));
        Assert.That(Parameters("/v1/{project_id}/images"), Is.EqualTo(shared.Concat(["service_type", "sort_key", "sort_dir"])));
    }

    [Test]
    public async Task Schemas_use_snake_case_and_the_contracts_enum_spellings()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!;

        var group = schemas["ImageGroupDto"]!["properties"]!.AsObject().Select(property => property.Key);
        var typeParameter = document["paths"]!["/v1/{project_id}/images/group"]!["get"]!["parameters"]!.AsArray()
            .Single(parameter => (string?)parameter!["name"] == "type")!["schema"]!["enum"]!.AsArray().Select(value => (string)value!);

        Assert.That(group, Is.SupersetOf(new[] { "id", "name", "namespace", "create_at", "update_at", "version_count" }));
        Assert.That(typeParameter, Is.EqualTo(new[] { "BUILD_IN", "DEDICATED" }));
        Assert.That(schemas.ToJsonString(), Does.Contain("\"IMAGE_SAVE\"").And.Not.Contain("ImageSave"));
    }

    [Test]
    public async Task Numbers_are_integers_and_members_left_out_when_null_are_not_required()
    {
        var image = (await DocumentAsync())["components"]!["schemas"]!["ImageDto"]!;

        var required = image["required"]!.AsArray().Select(value => (string)value!).ToList();

        Assert.That((string?)image["properties"]!["create_at"]!["type"], Is.EqualTo("integer"));
        Assert.That(required, Does.Contain("swr_path").And.Contain("create_at"));
        Assert.That(required, Has.None.AnyOf("description", "read_me", "size"));
    }
}
