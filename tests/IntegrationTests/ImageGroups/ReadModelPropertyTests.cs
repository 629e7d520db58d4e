using System.Net;
using System.Net.Http.Json;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.ImageGroups;

/// <summary>
/// Property-style: after a seeded random sequence of registers, image deletes and group deletes, ListImageGroup
/// equals, for every filter combination, the aggregate that an independent in-memory model computes.
/// </summary>
public sealed class ReadModelPropertyTests : ApiTest
{
    private const string Workspace = "0123456789abcdef0123456789abcdef";
    private static readonly string[] Names = ["app-0", "app_1", "x.app", "tool"];
    private static readonly string[] Namespaces = ["ns-0", "ns-1"];

    private sealed record ModelImage(
        Guid Id, string Project, string? Type, string Workspace, string Namespace, string Name, string SwrPath, long Time);

    [TestCase(20261204)]
    [TestCase(42)]
    public async Task The_overview_equals_a_fresh_aggregate_for_every_filter_after_random_writes(int seed)
    {
        var random = new Random(seed);
        string[] projects = [NewProjectId(), NewProjectId()];
        var images = new List<ModelImage>();

        for (var step = 0; step < 300; step++)
        {
            Tick(random.Next(0, 3) * 1000);
            var project = projects[random.Next(projects.Length)];
            var roll = random.Next(10);
            if (roll < 7 || images.Count == 0)
            {
                await RegisterRandomAsync(random, project, images);
            }
            else if (roll < 9)
            {
                var victim = images[random.Next(images.Count)];
                using var response = await Client.DeleteAsync($"/v1/{project}/images/{victim.Id}");
                // The client is an operator: it may delete built-in images from any project.
                var expected = victim.Type == "BUILD_IN" || victim.Project == project ? HttpStatusCode.OK : HttpStatusCode.NotFound;
                Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
                if (expected == HttpStatusCode.OK)
                {
                    images.Remove(victim);
                }
            }
            else
            {
                var groups = (await GetGroupsAsync(project, "type=DEDICATED&limit=1000")).Data;
                if (groups.Count > 0)
                {
                    var victim = groups[random.Next(groups.Count)];
                    using var response = await Client.DeleteAsync($"/v1/{project}/images/group/{victim.Id}");
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
                    images.RemoveAll(image => image is { Type: null, Workspace: "0" } && image.Project == project
                        && image.Namespace == victim.Namespace && image.Name == victim.Name);
                }
            }
        }

        var checkedCombinations = 0;
        var combinations =
            from project in projects
            from type in new string?[] { null, "BUILD_IN", "DEDICATED" }
            from workspace in new[] { "0", Workspace }
            from @namespace in (string?[])[null, .. Namespaces]
            from nameFilter in new (string? Name, bool Fuzzy)[] { (null, true), ("app-0", false), ("app", true), ("_", true), (".", true) }
            select (project, type, workspace, @namespace, nameFilter.Name, nameFilter.Fuzzy);
        foreach (var (project, type, workspace, @namespace, name, fuzzy) in combinations)
        {
            var query = $"limit=1000&workspace_id={workspace}&name_fuzzy_match={fuzzy}"
                + (type is null ? "" : $"&type={type}")
                + (@namespace is null ? "" : $"&namespace={@namespace}")
                + (name is null ? "" : $"&name={name}");
            var page = await GetGroupsAsync(project, query);

            var expected = images
                .Where(image => type is null || (image.Type ?? "DEDICATED") == type)
                .Where(image => image.Type == "BUILD_IN" || (image.Project == project && image.Workspace == workspace))
                .Where(image => @namespace is null || image.Namespace == @namespace)
                .Where(image => name is null || (fuzzy ? image.Name.Contains(name, StringComparison.Ordinal) : image.Name == name))
                .GroupBy(image => (image.Type ?? "DEDICATED", image.Namespace, image.Name))
                .Select(group => $"{group.Key.Item2}/{group.Key.Name} {group.Min(i => i.Time)}..{group.Max(i => i.Time)} x{group.Count()}")
                .Order(StringComparer.Ordinal)
                .ToList();
            var actual = page.Data
                .Select(group => $"{group.Namespace}/{group.Name} {group.CreateAt}..{group.UpdateAt} x{group.VersionCount}")
                .Order(StringComparer.Ordinal)
                .ToList();

            Assert.That(actual, Is.EqualTo(expected), query);
            Assert.That(page.Total, Is.EqualTo(expected.Count), query);
            Assert.That(page.Data.Select(group => group.UpdateAt), Is.Ordered.Descending, query);
            checkedCombinations++;
        }

        Assert.That(checkedCombinations, Is.EqualTo(180));
        Assert.That(images, Has.Count.GreaterThan(20), "the sequence leaves enough images to compare");
    }

    private async Task RegisterRandomAsync(Random random, string project, List<ModelImage> images)
    {
        var type = random.Next(6) == 0 ? "BUILD_IN" : null;
        var workspace = type is null && random.Next(3) == 0 ? Workspace : "0";
        var @namespace = Namespaces[random.Next(Namespaces.Length)];
        var name = Names[random.Next(Names.Length)];
        var path = $"swr.example.com/{@namespace}/{name}:v{random.Next(5)}";
        var duplicate = images.Any(image => image.SwrPath == path
            && (type == "BUILD_IN" ? image.Type == "BUILD_IN" : image.Type is null && image.Project == project && image.Workspace == workspace));

        using var response = await PostImageAsync(project, new { swr_path = path, type, workspace_id = workspace });

        Assert.That(response.StatusCode, Is.EqualTo(duplicate ? HttpStatusCode.Conflict : HttpStatusCode.Created));
        if (!duplicate)
        {
            var image = (await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!;
            images.Add(new ModelImage(image.Id, project, type, workspace, @namespace, name, path, image.CreateAt));
        }
    }
}
