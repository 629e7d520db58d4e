using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>
/// Base of the tests that go through the real HTTP pipeline; every test starts on an empty database, and
/// <see cref="Client"/> signs its requests with an operator key valid for every project.
/// </summary>
public abstract class ApiTest
{
    protected HttpClient Client { get; private set; } = null!;

    /// <summary>A project id of the real shape (32 hex digits), new for each call.</summary>
    protected static string NewProjectId() => Guid.NewGuid().ToString("N");

    [SetUp]
    public async Task StartFromEmptyDatabaseAsync()
    {
        await TestEnvironment.ResetDatabaseAsync();
        Client = TestEnvironment.Factory.CreateSignedClient();
    }

    [TearDown]
    public void DisposeClient() => Client.Dispose();

    /// <summary>
    /// Where the kept group counts (image_group_counts) differ from a count of image_groups, one line per scope;
    /// empty when they are exact. A scope whose groups are all gone may keep a zero row.
    /// </summary>
    protected static async Task<IReadOnlyList<string>> GroupCountDifferencesAsync()
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        var differences = await connection.QueryAsync<string>(
            """
            WITH counted AS (
                SELECT project_id, workspace_id, count(*) AS group_count FROM image_groups GROUP BY project_id, workspace_id
            ), kept AS (
                SELECT project_id, workspace_id, group_count FROM image_group_counts WHERE group_count > 0
            )
            SELECT coalesce(c.project_id, k.project_id, 'built-in') || '/' || coalesce(c.workspace_id, k.workspace_id)
                   || ': counted ' || coalesce(c.group_count, 0) || ', kept ' || coalesce(k.group_count, 0)
            FROM counted AS c
            FULL JOIN kept AS k ON k.project_id IS NOT DISTINCT FROM c.project_id AND k.workspace_id = c.workspace_id
            WHERE c.group_count IS DISTINCT FROM k.group_count
            """);
        return differences.ToList();
    }

    protected static void Tick(int milliseconds = 1000) => TestEnvironment.Clock.Advance(TimeSpan.FromMilliseconds(milliseconds));

    protected static long Now() => TestEnvironment.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    protected async Task<HttpResponseMessage> PostImageAsync(string projectId, object body) =>
        await Client.PostAsJsonAsync($"/v1/{projectId}/images", body, Wire.Json);

    protected async Task<HttpResponseMessage> PostRawAsync(string projectId, string body, string contentType = "application/json") =>
        await Client.PostAsync($"/v1/{projectId}/images", new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Registers an image and insists on 201.</summary>
    protected async Task<Image> RegisterAsync(
        string projectId, string swrPath, string? type = null, string? workspaceId = null)
    {
        using var response = await PostImageAsync(projectId, new { swr_path = swrPath, type, workspace_id = workspaceId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!;
    }

    protected async Task<HttpResponseMessage> GetGroupsResponseAsync(string projectId, string query = "") =>
        await Client.GetAsync($"/v1/{projectId}/images/group{(query.Length > 0 ? "?" + query : "")}");

    /// <summary>Lists groups and insists on 200.</summary>
    protected async Task<GroupPage> GetGroupsAsync(string projectId, string query = "")
    {
        using var response = await GetGroupsResponseAsync(projectId, query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<GroupPage>(Wire.Json))!;
    }

    /// <summary>Asserts the contract's error shape: status, code, JSON content type, and request id in body and header.</summary>
    protected static async Task<Error> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var error = System.Text.Json.JsonSerializer.Deserialize<Error>(text, Wire.Json)!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(errorCode), text);
            Assert.That(error.ErrorMsg, Is.Not.Empty);
            Assert.That(error.RequestId, Is.Not.Empty);
            Assert.That(response.Headers.GetValues("X-Request-Id").Single(), Is.EqualTo(error.RequestId));
        });
        return error;
    }

    protected static async Task<long> CountRowsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }
}
