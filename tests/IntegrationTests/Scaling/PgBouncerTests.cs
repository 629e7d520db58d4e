using System.Net;
using System.Net.Http.Json;
using System.Text;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Scaling;

/// <summary>
/// The service behind PgBouncer in transaction mode with two server connections for its pool of eight, so that its
/// transactions keep landing on other server sessions: with <c>Database:TransactionPooling</c> every SQL shape works
/// under concurrency and answers what the directly connected service answers; without it, the prepared statements
/// that one session made are missing in the next and requests fail. (CI also runs the HTTP test classes through
/// PgBouncer: TestEnvironment, IMAGECATALOG_TEST_THROUGH_PGBOUNCER.)
/// </summary>
[NonParallelizable]
public sealed class PgBouncerTests
{
    private const int Clients = 8;
    private PgBouncer _bouncer = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _bouncer = await PgBouncer.StartAsync(TestEnvironment.Database.ConnectionString, serverConnections: 2);

    [OneTimeTearDown]
    public async Task StopAsync() => await _bouncer.DisposeAsync();

    [SetUp]
    public async Task StartFromEmptyDatabaseAsync() => await TestEnvironment.ResetDatabaseAsync();

    [Test]
    public async Task With_transaction_pooling_every_sql_shape_works_concurrently_and_answers_as_a_direct_connection_does()
    {
        await using var service = BehindPgBouncer(transactionPooling: true);
        using var client = service.CreateSignedClient();

        var (projects, failures) = await ExerciseEveryShapeConcurrentlyAsync(client);

        Assert.That(failures, Is.Empty);
        using var direct = TestEnvironment.Factory.CreateSignedClient();
        foreach (var project in projects)
        {
            foreach (var read in Reads)
            {
                Assert.That(await BodyAsync(client, project, read), Is.EqualTo(await BodyAsync(direct, project, read)), read);
            }
        }
    }

    [Test]
    public async Task Without_it_the_prepared_statements_break_behind_the_pooler()
    {
        await using var service = BehindPgBouncer(transactionPooling: false);
        using var client = service.CreateSignedClient();

        var (_, failures) = await ExerciseEveryShapeConcurrentlyAsync(client);

        // 26000 "prepared statement does not exist" or 42P05 "already exists": a session prepared on one server
        // connection runs its next transaction on another.
        Assert.That(failures, Has.Some.Contains(": 500 "), "the setting is what makes the service work behind a transaction pooler");
    }

    // Each group-page shape (namespace filter or not, name absent, exact or contained; a type filter; paging), the
    // image list's sort keys and filters, and one image.
    private static readonly string[] Reads =
    [
        "images/group", "images/group?limit=2&offset=1", "images/group?type=DEDICATED", "images/group?namespace=team-a",
        "images/group?name=alpha&name_fuzzy_match=false", "images/group?name=lph", "images/group?namespace=team-a&name=alpha&name_fuzzy_match=false",
        "images/group?namespace=team-b&name=amm", "images", "images?sort_key=name,tag&sort_dir=ASC", "images?name=bet&service_type=TRAIN",
        "images?namespace=team-b&limit=1&offset=1",
    ];

    private ImageCatalogFactory BehindPgBouncer(bool transactionPooling) =>
        new(_bouncer.ConnectionString, TestEnvironment.Clock, builder =>
        {
            builder.UseSetting("Database:TransactionPooling", transactionPooling ? "true" : "false");
            builder.UseSetting("Database:MigrateOnStartup", "false");
        });

    /// <summary><see cref="Clients"/> projects exercised at once; answers them and everything that failed.</summary>
    private static async Task<(string[] Projects, List<string> Failures)> ExerciseEveryShapeConcurrentlyAsync(HttpClient client)
    {
        var projects = Enumerable.Range(0, Clients).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        var failures = await Task.WhenAll(projects.Select(project => ExerciseEveryShapeAsync(client, project)));
        return (projects, [.. failures.SelectMany(failed => failed)]);
    }

    /// <summary>Registers (once with an Idempotency-Key, twice), reads every shape, shows, edits and deletes; returns what failed.</summary>
    private static async Task<List<string>> ExerciseEveryShapeAsync(HttpClient client, string project)
    {
        var failures = new List<string>();
        async Task<string> ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string what)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != status)
                {
                    failures.Add($"{what}: {(int)response.StatusCode} {body}");
                }

                return body;
            }
        }

        var paths = new[]
        {
            "swr.example.com/team-a/alpha:1", "swr.example.com/team-a/alpha:2", "swr.example.com/team-b/alpha:1",
            "swr.example.com/team-a/beta:1", "swr.example.com/team-b/gamma:1", "swr.example.com/team-b/gamma:2",
        };
        var ids = new List<Guid>();
        foreach (var path in paths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{project}/images")
            {
                Content = JsonContent.Create(new { swr_path = path, service_type = "TRAIN" }, options: Wire.Json),
            };
            request.Headers.Add("Idempotency-Key", "key-" + path);
            var body = await ExpectAsync(await client.SendAsync(request), HttpStatusCode.Created, "register " + path);
            if (body.Contains("\"id\"", StringComparison.Ordinal))
            {
                ids.Add(System.Text.Json.JsonSerializer.Deserialize<Image>(body, Wire.Json)!.Id);
            }
        }

        using (var again = new HttpRequestMessage(HttpMethod.Post, $"/v1/{project}/images")
        {
            Content = JsonContent.Create(new { swr_path = paths[0], service_type = "TRAIN" }, options: Wire.Json),
        })
        {
            again.Headers.Add("Idempotency-Key", "key-" + paths[0]);
            await ExpectAsync(await client.SendAsync(again), HttpStatusCode.Created, "the same registration again");
        }

        foreach (var read in Reads)
        {
            await ExpectAsync(await client.GetAsync($"/v1/{project}/{read}"), HttpStatusCode.OK, read);
        }

        if (ids.Count == paths.Length)
        {
            await ExpectAsync(await client.GetAsync($"/v1/{project}/images/{ids[0]}"), HttpStatusCode.OK, "show");
            var groups = await ExpectAsync(await client.GetAsync($"/v1/{project}/images/group?name=beta"), HttpStatusCode.OK, "find beta");
            var beta = System.Text.Json.JsonSerializer.Deserialize<GroupPage>(groups, Wire.Json)!.Data.Single().Id;
            await ExpectAsync(
                await client.PutAsync($"/v1/{project}/images/group/{beta}", new StringContent(
                    """{"read_me": "# beta", "tags": [{"key": "team", "value": "a"}]}""", Encoding.UTF8, "application/json")),
                HttpStatusCode.NoContent,
                "update group");
            await ExpectAsync(await client.DeleteAsync($"/v1/{project}/images/{ids[5]}"), HttpStatusCode.OK, "delete image");
            var gamma = await ExpectAsync(await client.GetAsync($"/v1/{project}/images/group?name=gamma"), HttpStatusCode.OK, "find gamma");
            var gammaId = System.Text.Json.JsonSerializer.Deserialize<GroupPage>(gamma, Wire.Json)!.Data.Single().Id;
            await ExpectAsync(await client.DeleteAsync($"/v1/{project}/images/group/{gammaId}"), HttpStatusCode.NoContent, "delete group");
        }

        return failures;
    }

    private static async Task<string> BodyAsync(HttpClient client, string project, string read)
    {
        using var response = await client.GetAsync($"/v1/{project}/{read}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), read);
        return await response.Content.ReadAsStringAsync();
    }
}
