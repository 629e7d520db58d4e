using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.ImageGroups;

/// <summary>CONTRACT.md section 1 through the real pipeline and PostgreSQL: grouping, filters, visibility, order.</summary>
public sealed class ListImageGroupsTests : ApiTest
{
    private const string Registry = "swr.example.com";

    [Test]
    public async Task Groups_versions_by_namespace_and_name_with_earliest_create_latest_update_and_count()
    {
        var project = NewProjectId();
        var firstCreate = Now();
        await RegisterAsync(project, $"{Registry}/team-a/app:v1");
        Tick();
        await RegisterAsync(project, $"{Registry}/team-a/other:v1");
        Tick();
        await RegisterAsync(project, $"{Registry}/team-a/app:v2");
        Tick();
        var lastUpdate = Now();
        await RegisterAsync(project, $"{Registry}/team-a/app:v3");
        Tick();
        await RegisterAsync(project, $"{Registry}/team-b/app:v1");

        var page = await GetGroupsAsync(project);

        Assert.That(page.Total, Is.EqualTo(3));
        var app = page.Data.Single(group => group is { Namespace: "team-a", Name: "app" });
        Assert.Multiple(() =>
        {
            Assert.That(app.VersionCount, Is.EqualTo(3));
            Assert.That(app.CreateAt, Is.EqualTo(firstCreate));
            Assert.That(app.UpdateAt, Is.EqualTo(lastUpdate));
            Assert.That(page.Data.Single(group => group is { Namespace: "team-b", Name: "app" }).VersionCount, Is.EqualTo(1));
            Assert.That(page.Data.Single(group => group.Name == "other").VersionCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Orders_by_latest_update_descending_then_namespace_then_name()
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/ns-b/oldest:1");
        Tick();
        // Same update time: namespace then name decide.
        await RegisterAsync(project, $"{Registry}/ns-b/alpha:1");
        await RegisterAsync(project, $"{Registry}/ns-a/zulu:1");
        await RegisterAsync(project, $"{Registry}/ns-a/beta:1");
        Tick();
        await RegisterAsync(project, $"{Registry}/ns-c/newest:1");

        var page = await GetGroupsAsync(project);

        Assert.That(
            page.Data.Select(group => $"{group.Namespace}/{group.Name}"),
            Is.EqualTo(new[] { "ns-c/newest", "ns-a/beta", "ns-a/zulu", "ns-b/alpha", "ns-b/oldest" }));
    }

    [Test]
    public async Task A_new_version_moves_its_group_to_the_front()
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/ns/first:1");
        Tick();
        await RegisterAsync(project, $"{Registry}/ns/second:1");
        Tick();
        await RegisterAsync(project, $"{Registry}/ns/first:2");

        var page = await GetGroupsAsync(project);

        Assert.That(page.Data.Select(group => group.Name), Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public async Task Fuzzy_match_is_the_default_and_means_contains()
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/ns/pytorch:1");
        await RegisterAsync(project, $"{Registry}/ns/torchvision:1");
        await RegisterAsync(project, $"{Registry}/ns/tensorflow:1");

        var page = await GetGroupsAsync(project, "name=torch");

        Assert.That(page.Data.Select(group => group.Name), Is.EquivalentTo(new[] { "pytorch", "torchvision" }));
        Assert.That(page.Total, Is.EqualTo(2));
    }

    [Test]
    public async Task Exact_match_means_equality()
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/ns/torch:1");
        await RegisterAsync(project, $"{Registry}/ns/pytorch:1");

        var page = await GetGroupsAsync(project, "name=torch&name_fuzzy_match=false");

        Assert.That(page.Data.Select(group => group.Name), Is.EqualTo(new[] { "torch" }));
    }

    [TestCase("a_b", new[] { "a_b", "xa_by" })]
    [TestCase("a.b", new[] { "a.b" })]
    [TestCase("_", new[] { "a_b", "xa_by" })]
    public async Task Fuzzy_match_takes_underscore_and_dot_literally(string name, string[] expected)
    {
        var project = NewProjectId();
        foreach (var image in new[] { "a_b", "axb", "xa_by", "a.b", "ab" })
        {
            await RegisterAsync(project, $"{Registry}/ns/{image}:1");
        }

        var page = await GetGroupsAsync(project, $"name={name}");

        Assert.That(page.Data.Select(group => group.Name), Is.EquivalentTo(expected));
    }

    [Test]
    public async Task Exact_match_takes_underscore_literally()
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/ns/a_b:1");
        await RegisterAsync(project, $"{Registry}/ns/axb:1");

        var page = await GetGroupsAsync(project, "name=a_b&name_fuzzy_match=false");

        Assert.That(page.Data.Select(group => group.Name), Is.EqualTo(new[] { "a_b" }));
    }

    [Test]
    public async Task Namespace_filter_keeps_only_that_namespace()
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/team-a/app:1");
        await RegisterAsync(project, $"{Registry}/team-ab/app:1");
        await RegisterAsync(project, $"{Registry}/team-b/tool:1");

        var page = await GetGroupsAsync(project, "namespace=team-a");

        Assert.That(page.Data.Select(group => $"{group.Namespace}/{group.Name}"), Is.EqualTo(new[] { "team-a/app" }));
    }

    [Test]
    public async Task Filters_combine()
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/team-a/torch:1");
        await RegisterAsync(project, $"{Registry}/team-a/tensorflow:1");
        await RegisterAsync(project, $"{Registry}/team-b/torch:1");
        await RegisterAsync(project, $"{Registry}/team-a/torch-x:1", type: "BUILD_IN");

        var page = await GetGroupsAsync(project, "name=orch&namespace=team-a&type=DEDICATED");

        Assert.That(page.Data.Select(group => $"{group.Namespace}/{group.Name}"), Is.EqualTo(new[] { "team-a/torch" }));
    }

    [TestCase("", new[] { "builtin", "mine" })]
    [TestCase("type=BUILD_IN", new[] { "builtin" })]
    [TestCase("type=build_in", new[] { "builtin" })]
    [TestCase("type=DEDICATED", new[] { "mine" })]
    [TestCase("type=Dedicated", new[] { "mine" })]
    public async Task Type_filter_selects_built_in_or_dedicated_images_and_defaults_to_both(string query, string[] expected)
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/ns/mine:1");
        await RegisterAsync(project, $"{Registry}/platform/builtin:1", type: "BUILD_IN");

        var page = await GetGroupsAsync(project, query);

        Assert.That(page.Data.Select(group => group.Name), Is.EquivalentTo(expected));
    }

    [Test]
    public async Task Built_in_images_are_visible_from_every_project_and_workspace()
    {
        var publisher = NewProjectId();
        await RegisterAsync(publisher, $"{Registry}/platform/pytorch:2.1", type: "BUILD_IN");
        const string workspace = "0123456789abcdef0123456789abcdef";

        var fromOtherProject = await GetGroupsAsync(NewProjectId());
        var fromOtherWorkspace = await GetGroupsAsync(NewProjectId(), $"workspace_id={workspace}");

        Assert.Multiple(() =>
        {
            Assert.That(fromOtherProject.Data.Select(group => group.Name), Is.EqualTo(new[] { "pytorch" }));
            Assert.That(fromOtherWorkspace.Data.Select(group => group.Name), Is.EqualTo(new[] { "pytorch" }));
        });
    }

    [Test]
    public async Task A_built_in_and_a_dedicated_image_with_the_same_name_are_two_groups()
    {
        var project = NewProjectId();
        await RegisterAsync(project, $"{Registry}/shared/pytorch:1");
        await RegisterAsync(project, $"{Registry}/shared/pytorch:1", type: "BUILD_IN");
        await RegisterAsync(project, $"{Registry}/shared/pytorch:2", type: "BUILD_IN");

        var page = await GetGroupsAsync(project);

        Assert.That(page.Total, Is.EqualTo(2));
        Assert.That(page.Data.Select(group => group.VersionCount), Is.EquivalentTo(new[] { 1, 2 }));
        Assert.That(page.Data.Select(group => group.Id).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task Dedicated_images_are_visible_only_in_their_project()
    {
        var mine = NewProjectId();
        var theirs = NewProjectId();
        await RegisterAsync(mine, $"{Registry}/ns/mine:1");
        await RegisterAsync(theirs, $"{Registry}/ns/theirs:1");

        var page = await GetGroupsAsync(mine);

        Assert.That(page.Data.Select(group => group.Name), Is.EqualTo(new[] { "mine" }));
        Assert.That(page.Total, Is.EqualTo(1));
    }

    [Test]
    public async Task Dedicated_images_are_visible_only_in_their_workspace_and_the_default_workspace_is_0()
    {
        var project = NewProjectId();
        const string workspace = "abcdefabcdefabcdefabcdefabcdef12";
        await RegisterAsync(project, $"{Registry}/ns/default-ws:1");
        await RegisterAsync(project, $"{Registry}/ns/other-ws:1", workspaceId: workspace);

        var byDefault = await GetGroupsAsync(project);
        var workspaceZero = await GetGroupsAsync(project, "workspace_id=0");
        var inWorkspace = await GetGroupsAsync(project, $"workspace_id={workspace}");

        Assert.Multiple(() =>
        {
            Assert.That(byDefault.Data.Select(group => group.Name), Is.EqualTo(new[] { "default-ws" }));
            Assert.That(workspaceZero.Data.Select(group => group.Name), Is.EqualTo(new[] { "default-ws" }));
            Assert.That(inWorkspace.Data.Select(group => group.Name), Is.EqualTo(new[] { "other-ws" }));
        });
    }

    [Test]
    public async Task An_empty_project_has_an_empty_first_page()
    {
        var page = await GetGroupsAsync(NewProjectId());

        Assert.That(page, Is.EqualTo(page with { Current = 1, Pages = 0, Size = 0, Total = 0 }));
        Assert.That(page.Data, Is.Empty);
    }

    [TestCase(0, 2, 1, 2)]
    [TestCase(2, 2, 2, 2)]
    [TestCase(3, 2, 2, 2)]
    [TestCase(4, 2, 3, 1)]
    [TestCase(0, 5, 1, 5)]
    [TestCase(1, 5, 1, 4)]
    [TestCase(0, 1000, 1, 5)]
    public async Task Paging_reports_current_page_pages_size_and_total(int offset, int limit, int current, int size)
    {
        var project = NewProjectId();
        for (var i = 0; i < 5; i++)
        {
            await RegisterAsync(project, $"{Registry}/ns/image-{i}:1");
            Tick();
        }

        var page = await GetGroupsAsync(project, $"offset={offset}&limit={limit}");

        Assert.Multiple(() =>
        {
            Assert.That(page.Current, Is.EqualTo(current), "current");
            Assert.That(page.Pages, Is.EqualTo((5 + limit - 1) / limit), "pages");
            Assert.That(page.Size, Is.EqualTo(size), "size");
            Assert.That(page.Data, Has.Count.EqualTo(size));
            Assert.That(page.Total, Is.EqualTo(5), "total");
        });
    }

    [TestCase(5)]
    [TestCase(6)]
    [TestCase(2147483647)]
    public async Task An_offset_past_the_end_is_an_empty_page_with_the_true_total(int offset)
    {
        var project = NewProjectId();
        for (var i = 0; i < 5; i++)
        {
            await RegisterAsync(project, $"{Registry}/ns/image-{i}:1");
        }

        var page = await GetGroupsAsync(project, $"offset={offset}&limit=2");

        Assert.Multiple(() =>
        {
            Assert.That(page.Data, Is.Empty);
            Assert.That(page.Size, Is.Zero);
            Assert.That(page.Total, Is.EqualTo(5));
            Assert.That(page.Pages, Is.EqualTo(3));
            Assert.That(page.Current, Is.EqualTo((offset / 2) + 1));
        });
    }

    [Test]
    public async Task The_default_limit_is_200()
    {
        var project = NewProjectId();
        for (var i = 0; i < 201; i++)
        {
            await RegisterAsync(project, $"{Registry}/ns/image-{i:D3}:1");
        }

        var page = await GetGroupsAsync(project);

        Assert.Multiple(() =>
        {
            Assert.That(page.Size, Is.EqualTo(200));
            Assert.That(page.Data, Has.Count.EqualTo(200));
            Assert.That(page.Total, Is.EqualTo(201));
            Assert.That(page.Pages, Is.EqualTo(2));
        });
    }

    // Each filter is another SQL shape: the page-order walk, the namespace index, and the contained name's matches.
    [TestCase("", 23)]
    [TestCase("namespace=ns-1", 6)]
    [TestCase("name=image-", 23)]
    [TestCase("name=image-1", 5)]
    [TestCase("name=image-&namespace=ns-1", 6)]
    public async Task Pages_are_stable_and_disjoint_across_ties(string filter, int expected)
    {
        var project = NewProjectId();
        for (var i = 0; i < 23; i++)
        {
            // Groups of three share an update time, so only the tie-breakers order them.
            if (i % 3 == 0)
            {
                Tick();
            }

            await RegisterAsync(project, $"{Registry}/ns-{i % 4}/image-{i % 5}{i}:1");
        }

        var all = await GetGroupsAsync(project, $"limit=1000&{filter}");
        var paged = new List<Group>();
        for (var offset = 0; offset < all.Total; offset += 4)
        {
            var page = await GetGroupsAsync(project, $"offset={offset}&limit=4&{filter}");
            Assert.That(page.Total, Is.EqualTo(all.Total));
            paged.AddRange(page.Data);
        }

        Assert.That(all.Data, Has.Count.EqualTo(expected));
        Assert.That(paged, Is.EqualTo(all.Data));
        Assert.That(
            all.Data,
            Is.EqualTo(all.Data
                .OrderByDescending(group => group.UpdateAt)
                .ThenBy(group => group.Namespace, StringComparer.Ordinal)
                .ThenBy(group => group.Name, StringComparer.Ordinal)));
    }
}
