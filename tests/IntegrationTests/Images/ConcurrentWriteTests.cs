using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using ImageCatalog.IntegrationTests.Infrastructure;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Images;

/// <summary>
/// Sixteen clients register and delete versions of the same few groups at once: no deadlock or other 5xx, no
/// lost version, and the group overview equal to a fresh aggregate of the images afterwards.
/// </summary>
public sealed class ConcurrentWriteTests : ApiTest
{
    private const int Clients = 16;
    private const int OperationsPerClient = 40;

    [Test]
    public async Task Parallel_registers_and_deletes_on_a_few_groups_keep_the_overview_exact()
    {
        var project = NewProjectId();
        var created = new ConcurrentDictionary<Guid, string>();
        var deleted = new ConcurrentDictionary<Guid, bool>();
        var unexpected = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(1000 + client);
            using var http = TestEnvironment.Factory.CreateSignedClient();
            for (var i = 0; i < OperationsPerClient; i++)
            {
                var known = created.Keys.ToArray();
                if (known.Length > 0 && random.Next(3) == 0)
                {
                    var victim = known[random.Next(known.Length)];
                    using var response = await http.DeleteAsync($"/v1/{project}/images/{victim}");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Assert.That(deleted.TryAdd(victim, true), Is.True, "an image was deleted twice");
                    }
                    else if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        unexpected.Add($"DELETE {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                else
                {
                    // Distinct times, so that a wrong earliest or latest time shows.
                    Tick(1);
                    var path = $"swr.example.com/team/app-{random.Next(3)}:v{random.Next(30)}";
                    using var response = await http.PostAsJsonAsync($"/v1/{project}/images", new { swr_path = path }, Wire.Json);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var image = (await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!;
                        created[image.Id] = path;
                    }
                    else if (response.StatusCode != HttpStatusCode.Conflict)
                    {
                        unexpected.Add($"POST {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }
        })));

        Assert.That(unexpected, Is.Empty);
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        var stored = (await connection.QueryAsync<Guid>("SELECT id FROM images")).Order().ToList();
        var expected = created.Keys.Except(deleted.Keys).Order().ToList();
        Assert.That(stored, Is.EqualTo(expected), "every acknowledged register is there unless acknowledged deleted");
        Assert.That(deleted, Is.Not.Empty);

        var kept = await connection.QueryAsync<string>(
            "SELECT name || ' ' || version_count || ' ' || create_at || ' ' || update_at FROM image_groups ORDER BY name");
        var fresh = await connection.QueryAsync<string>(
            """
            SELECT name || ' ' || count(*) || ' ' || min(create_at) || ' ' || max(update_at)
            FROM images GROUP BY project_id, workspace_id, namespace, name ORDER BY name
            """);
        Assert.That(kept, Is.EqualTo(fresh));
        Assert.That(await GroupCountDifferencesAsync(), Is.Empty, "the kept group counts");
    }
}
