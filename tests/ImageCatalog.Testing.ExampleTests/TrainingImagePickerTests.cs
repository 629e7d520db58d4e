using System.Net;
using System.Net.Http.Json;

namespace ImageCatalog.Testing.ExampleTests;

/// <summary>How another team tests its code against a real ImageCatalog with the test kit.</summary>
public sealed class TrainingImagePickerTests
{
    private ImageCatalogHost _catalog = null!;

    [OneTimeSetUp]
    public async Task StartCatalogAsync() => _catalog = await ImageCatalogHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopCatalogAsync() => await _catalog.DisposeAsync();

    [Test]
    public async Task Picks_the_highest_training_tag_of_the_name()
    {
        var project = ImageCatalogHost.NewProjectId();
        await _catalog.Seed(project)
            .Groups(groups: 3, versions: 2)
            .Image(new ImageBuilder("vision", "resnet").Tagged("1.0").ForService("TRAIN"))
            .Image(new ImageBuilder("vision", "resnet").Tagged("2.0").ForService("TRAIN"))
            .Image(new ImageBuilder("vision", "resnet").Tagged("3.0").ForService("INFERENCE"))
            .RunAsync();
        var picker = new TrainingImagePicker(_catalog.CreateCatalogClient(project, role: "reader"));

        Assert.That(await picker.PickAsync(project, "resnet"), Is.EqualTo("swr.example.com/vision/resnet:2.0"));
        Assert.That(await picker.PickAsync(project, "group-1"), Is.Null, "seeded groups are not TRAIN images");
    }

    [Test]
    public async Task A_client_is_authenticated_for_its_project_and_role_only()
    {
        var project = ImageCatalogHost.NewProjectId();
        using var reader = _catalog.CreateClient(project, role: "reader");
        using var otherProject = _catalog.CreateClient(ImageCatalogHost.NewProjectId(), role: "writer");

        using var write = await reader.PostAsJsonAsync($"v1/{project}/images", new { swr_path = "swr.example.com/team/app:1" });
        using var elsewhere = await otherProject.GetAsync($"v1/{project}/images/group");

        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _catalog.CreateCatalogClient(project).ListImageGroupsAsync(project)).Total, Is.Zero, "the refused write left nothing");
    }
}
