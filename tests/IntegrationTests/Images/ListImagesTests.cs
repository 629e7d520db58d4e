using System.Net;
using System.Net.Http.Json;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Images;

/// <summary>ListImage: the groups' filters plus service_type, sort keys and directions, stable pages.</summary>
public sealed class ListImagesTests : ApiTest
{
    private async Task<ImagePage> ListAsync(string project, string query = "")
    {
        using var response = await Client.GetAsync($"/v1/{project}/images{(query.Length > 0 ? "?" + query : "")}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ImagePage>(Wire.Json))!;
    }

    private async Task<string> RegisterWithAsync(string project, object body)
    {
        using var response = await PostImageAsync(project, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Tick();
        return (await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!.SwrPath;
    }

    [Test]
    public async Task Lists_the_projects_images_and_the_built_in_ones_newest_first_by_default()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/old:1");
        Tick();
        await RegisterAsync(NewProjectId(), "swr.example.com/other/theirs:1");
        await RegisterAsync(NewProjectId(), "swr.example.com/platform/builtin:1", type: "BUILD_IN");
        Tick();
        await RegisterAsync(project, "swr.example.com/team/new:1");

        var page = await ListAsync(project);

        Assert.That(page.Data.Select(image => image.Name), Is.EqualTo(new[] { "new", "builtin", "old" }));
        Assert.That(page, Is.EqualTo(page with { Current = 1, Pages = 1, Size = 3, Total = 3 }));
    }

    [Test]
    public async Task Filters_by_name_namespace_type_workspace_and_service_type()
    {
        var project = NewProjectId();
        const string workspace = "0123456789abcdef0123456789abcdef";
        await RegisterWithAsync(project, new { swr_path = "swr.example.com/team/pytorch:1", service_type = "TRAIN" });
        await RegisterWithAsync(project, new { swr_path = "swr.example.com/team/pytorch:2", service_type = "INFERENCE" });
        await RegisterWithAsync(project, new { swr_path = "swr.example.com/lab/torchvision:1", service_type = "TRAIN" });
        await RegisterWithAsync(project, new { swr_path = "swr.example.com/team/tensorflow:1", workspace_id = workspace });
        await RegisterWithAsync(project, new { swr_path = "swr.example.com/platform/torch:1", type = "BUILD_IN" });

        Assert.Multiple(async () =>
        {
            Assert.That((await ListAsync(project, "name=torch")).Data.Select(i => i.SwrPath), Is.EquivalentTo(new[]
            {
                "swr.example.com/team/pytorch:1", "swr.example.com/team/pytorch:2",
                "swr.example.com/lab/torchvision:1", "swr.example.com/platform/torch:1",
            }));
            Assert.That((await ListAsync(project, "name=torch&name_fuzzy_match=false")).Data.Select(i => i.Name), Is.EqualTo(new[] { "torch" }));
            Assert.That((await ListAsync(project, "namespace=lab")).Data.Select(i => i.Name), Is.EqualTo(new[] { "torchvision" }));
            Assert.That((await ListAsync(project, "type=BUILD_IN")).Data.Select(i => i.Name), Is.EqualTo(new[] { "torch" }));
            Assert.That((await ListAsync(project, "type=dedicated")).Total, Is.EqualTo(3));
            Assert.That((await ListAsync(project, $"workspace_id={workspace}")).Data.Select(i => i.Name), Is.EquivalentTo(new[] { "tensorflow", "torch" }));
            Assert.That((await ListAsync(project, "service_type=train")).Data.Select(i => i.SwrPath), Is.EquivalentTo(new[]
            {
                "swr.example.com/team/pytorch:1", "swr.example.com/lab/torchvision:1",
            }));
        });
    }

    [TestCase("sort_key=name&sort_dir=ASC", new[] { "alpha:2", "alpha:1", "beta:1", "gamma:1" })]
    [TestCase("sort_key=name,tag&sort_dir=asc", new[] { "alpha:1", "alpha:2", "beta:1", "gamma:1" })]
    [TestCase("sort_key=name,tag&sort_dir=DESC", new[] { "gamma:1", "beta:1", "alpha:2", "alpha:1" })]
    [TestCase("sort_key=createAt&sort_dir=ASC", new[] { "gamma:1", "alpha:2", "beta:1", "alpha:1" })]
    [TestCase("sort_key=create_at", new[] { "alpha:1", "beta:1", "alpha:2", "gamma:1" })]
    [TestCase("sort_key=namespace,name&sort_dir=ASC", new[] { "alpha:2", "alpha:1", "beta:1", "gamma:1" })]
    [TestCase("sort_key=update_at,tag&sort_dir=ASC", new[] { "gamma:1", "alpha:2", "beta:1", "alpha:1" })]
    public async Task Sorts_by_the_given_keys_and_direction(string query, string[] expected)
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/ns-b/gamma:1");
        Tick();
        await RegisterAsync(project, "swr.example.com/ns-a/alpha:2");
        Tick();
        await RegisterAsync(project, "swr.example.com/ns-a/beta:1");
        Tick();
        await RegisterAsync(project, "swr.example.com/ns-a/alpha:1");

        var page = await ListAsync(project, query);

        Assert.That(page.Data.Select(image => $"{image.Name}:{image.Tag}"), Is.EqualTo(expected));
    }

    [Test]
    public async Task Pages_are_stable_and_disjoint_when_every_sort_value_ties()
    {
        var project = NewProjectId();
        for (var i = 0; i < 17; i++)
        {
            await RegisterAsync(project, $"swr.example.com/ns/same:v{i}");
        }

        var all = await ListAsync(project, "sort_key=create_at,name&limit=1000");
        var paged = new List<Guid>();
        for (var offset = 0; offset < 17; offset += 5)
        {
            paged.AddRange((await ListAsync(project, $"sort_key=create_at,name&offset={offset}&limit=5")).Data.Select(image => image.Id));
        }

        Assert.That(paged, Is.EqualTo(all.Data.Select(image => image.Id)));
        Assert.That(paged.Distinct().Count(), Is.EqualTo(17));
    }

    [Test]
    public async Task Paging_reports_current_pages_size_and_total()
    {
        var project = NewProjectId();
        for (var i = 0; i < 5; i++)
        {
            await RegisterAsync(project, $"swr.example.com/ns/image:{i}");
        }

        var page = await ListAsync(project, "offset=4&limit=2");
        var past = await ListAsync(project, "offset=50&limit=2");

        Assert.That(page, Is.EqualTo(page with { Current = 3, Pages = 3, Size = 1, Total = 5 }));
        Assert.That(past.Data, Is.Empty);
        Assert.That(past.Total, Is.EqualTo(5));
    }

    [TestCase("sort_key=size")]
    [TestCase("sort_key=id")]
    [TestCase("sort_key=name,")]
    [TestCase("sort_key=name,name")]
    [TestCase("sort_key=create_at%3B%20DROP%20TABLE%20images")]
    [TestCase("sort_key=CREATE_AT")]
    public async Task An_unknown_or_repeated_sort_key_is_a_400_ModelArts_6303(string query)
    {
        using var response = await Client.GetAsync($"/v1/{NewProjectId()}/images?{query}");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.6303");
        Assert.That(error.ErrorMsg, Does.StartWith("Invalid parameter 'sort_key': "));
    }

    [TestCase("sort_dir=UP", "sort_dir")]
    [TestCase("service_type=GAMES", "service_type")]
    [TestCase("limit=0", "limit")]
    [TestCase("name=UPPER", "name")]
    [TestCase("type=OTHER", "type")]
    [TestCase("workspace_id=1", "workspace_id")]
    [TestCase("offset=-1", "offset")]
    [TestCase("namespace=9", "namespace")]
    public async Task Other_invalid_parameters_are_a_400_naming_them(string query, string parameter)
    {
        using var response = await Client.GetAsync($"/v1/{NewProjectId()}/images?{query}");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.StartWith($"Invalid parameter '{parameter}': "));
    }
}
