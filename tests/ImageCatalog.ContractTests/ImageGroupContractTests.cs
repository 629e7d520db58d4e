using System.Net;
using ImageCatalog.Client;
using static ImageCatalog.ContractTests.Contract;

namespace ImageCatalog.ContractTests;

/// <summary>ListImageGroup, UpdateImageGroup and DeleteImageGroup (CONTRACT.md section 1).</summary>
public sealed class ImageGroupContractTests
{
    private static ImageCatalogClient Client => ContractTarget.Client;

    [Test]
    public async Task Groups_aggregate_the_versions_of_a_name_newest_change_first()
    {
        var project = ContractTarget.NewProject();
        await RegisterAsync(project, "swr.example.com/team-a/app:1");
        await RegisterAsync(project, "swr.example.com/team-b/app:1");
        await RegisterAsync(project, "swr.example.com/team-a/app:2");
        var last = await RegisterAsync(project, "swr.example.com/team-a/tool:1");

        var page = await GroupsAsync(project);

        Assert.Multiple(() =>
        {
            Assert.That(page.Total, Is.EqualTo(3));
            Assert.That((page.Current, page.Pages, page.Size), Is.EqualTo((1, 1, 3)));
            Assert.That(page.Data.Select(group => $"{group.Namespace}/{group.Name}:{group.VersionCount}"),
                Is.EquivalentTo(new[] { "team-a/app:2", "team-b/app:1", "team-a/tool:1" }));
            Assert.That(page.Data[0].Name, Is.EqualTo("tool"), "the newest change first");
            Assert.That(page.Data.Select(group => group.UpdateAt), Is.Ordered.Descending);
            Assert.That(page.Data, Has.All.Matches<ImageGroup>(group => group.CreateAt <= group.UpdateAt && group.ReadMe == null));
            Assert.That(page.Data[0].UpdateAt, Is.EqualTo(last.UpdateAt));
        });
    }

    [Test]
    public async Task Pages_are_disjoint_and_cover_every_group()
    {
        var project = ContractTarget.NewProject();
        for (var i = 0; i < 5; i++)
        {
            await RegisterAsync(project, $"swr.example.com/team/image-{i}:1");
        }

        var first = await GroupsAsync(project, new ImageGroupQuery { Limit = 2 });
        var second = await GroupsAsync(project, new ImageGroupQuery { Limit = 2, Offset = 2 });
        var third = await GroupsAsync(project, new ImageGroupQuery { Limit = 2, Offset = 4 });
        var beyond = await GroupsAsync(project, new ImageGroupQuery { Limit = 2, Offset = 10 });

        Assert.Multiple(() =>
        {
            Assert.That((first.Current, first.Pages, first.Size, first.Total), Is.EqualTo((1, 3, 2, 5L)));
            Assert.That((second.Current, second.Size), Is.EqualTo((2, 2)));
            Assert.That((third.Current, third.Size), Is.EqualTo((3, 1)));
            Assert.That((beyond.Size, beyond.Total), Is.EqualTo((0, 5L)));
            var ids = first.Data.Concat(second.Data).Concat(third.Data).Select(group => group.Id).ToList();
            Assert.That(ids, Is.Unique.And.Count.EqualTo(5));
        });
    }

    [Test]
    public async Task Filters_by_exact_and_contained_name_namespace_workspace_and_type()
    {
        var project = ContractTarget.NewProject();
        var workspace = Guid.NewGuid().ToString("N");
        await RegisterAsync(project, "swr.example.com/team-a/vision-train:1");
        await RegisterAsync(project, "swr.example.com/team-b/vision:1");
        await RegisterAsync(project, "swr.example.com/team-a/speech:1");
        await RegisterAsync(project, "swr.example.com/team-a/vision:1", workspace);

        async Task<IEnumerable<string>> NamesAsync(ImageGroupQuery query) =>
            (await GroupsAsync(project, query)).Data.Select(group => $"{group.Namespace}/{group.Name}");

        Assert.Multiple(async () =>
        {
            Assert.That(await NamesAsync(new() { Name = "vision", NameFuzzyMatch = false }), Is.EquivalentTo(new[] { "team-b/vision" }));
            Assert.That(await NamesAsync(new() { Name = "isio" }), Is.EquivalentTo(new[] { "team-a/vision-train", "team-b/vision" }));
            Assert.That(await NamesAsync(new() { Namespace = "team-a" }), Is.EquivalentTo(new[] { "team-a/vision-train", "team-a/speech" }));
            Assert.That(await NamesAsync(new() { WorkspaceId = workspace }), Is.EquivalentTo(new[] { "team-a/vision" }));
            Assert.That(await NamesAsync(new() { Name = "nothing-like-it", NameFuzzyMatch = false }), Is.Empty);
            var builtIn = await Client.ListImageGroupsAsync(project, new ImageGroupQuery { Type = "BUILD_IN", Limit = 1000, StrongRead = true });
            Assert.That(builtIn.Data.Select(group => group.Namespace), Has.None.StartsWith("team-"), "a project's own groups are DEDICATED");
        });
    }

    public static IEnumerable<string> InvalidQueries() =>
    [
        "limit=0", "limit=1001", "limit=abc", "limit=1&limit=2", "offset=-1", "offset=1.5", "name=UPPER",
        "name=" + new string('a', 513), "name=%27%20OR%201%3D1%20--", "name=%E5%90%8D%E5%89%8D", "namespace=9starts-with-digit",
        "type=OTHER", "name_fuzzy_match=maybe", "workspace_id=not-a-workspace",
    ];

    [TestCaseSource(nameof(InvalidQueries))]
    public async Task A_parameter_that_breaks_a_rule_is_a_400_naming_it(string query)
    {
        using var response = await ContractTarget.Http.GetAsync($"v1/{ContractTarget.NewProject()}/images/group?{query}");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain(query.Split('=')[0]));
    }

    [Test]
    public async Task Update_sets_the_read_me_and_tags_that_the_overview_then_shows()
    {
        var project = ContractTarget.NewProject();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        var group = (await GroupsAsync(project)).Data.Single();

        await Client.UpdateImageGroupAsync(project, group.Id, new UpdateImageGroupRequest("# App\nUnicode ✓", [new GroupTag("team", "vision")]));

        var updated = (await GroupsAsync(project)).Data.Single();
        Assert.That(updated.ReadMe, Is.EqualTo("# App\nUnicode ✓"));
        Assert.That(updated.Tags, Is.EqualTo(new[] { new GroupTag("team", "vision") }));
    }

    [Test]
    public async Task Delete_removes_the_group_and_its_versions_and_a_second_delete_is_a_404()
    {
        var project = ContractTarget.NewProject();
        var image = await RegisterAsync(project, "swr.example.com/team/app:1");
        await RegisterAsync(project, "swr.example.com/team/app:2");
        var group = (await GroupsAsync(project)).Data.Single();

        await Client.DeleteImageGroupAsync(project, group.Id);

        Assert.That((await GroupsAsync(project)).Total, Is.Zero);
        AssertFails(() => Client.ShowImageAsync(project, image.Id, strongRead: true), HttpStatusCode.NotFound, "ModelArts.6404");
        AssertFails(() => Client.DeleteImageGroupAsync(project, group.Id), HttpStatusCode.NotFound, "ModelArts.6404");
        AssertFails(
            () => Client.UpdateImageGroupAsync(project, group.Id, new UpdateImageGroupRequest("x", null)), HttpStatusCode.NotFound, "ModelArts.6404");
    }

    [TestCase("""{"tags": [{"key": "", "value": "v"}]}""", "key")]
    [TestCase("""{"tags": [{"key": "team", "value": "a"}, {"key": "team", "value": "b"}]}""", "tags")]
    [TestCase("""{"tags": [{"key": "team"}]}""", "value")]
    public async Task An_update_that_breaks_a_rule_is_a_400_naming_it_and_changes_nothing(string body, string field)
    {
        var project = ContractTarget.NewProject();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        var group = (await GroupsAsync(project)).Data.Single();

        using var response = await ContractTarget.Http.PutAsync(
            $"v1/{project}/images/group/{group.Id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain(field));
        Assert.That((await GroupsAsync(project)).Data.Single().Tags, Is.Null);
    }

    [Test]
    public async Task A_malformed_group_id_is_a_400()
    {
        using var response = await ContractTarget.Http.DeleteAsync($"v1/{ContractTarget.NewProject()}/images/group/not-a-uuid");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
    }
}
