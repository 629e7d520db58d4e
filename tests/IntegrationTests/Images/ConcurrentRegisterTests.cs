using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Images;

/// <summary>Parallel registers: one winner per swr_path, no lost version, the overview exact.</summary>
public sealed class ConcurrentRegisterTests : ApiTest
{
    private const int Clients = 16;

    [Test]
    public async Task Parallel_registers_of_one_swr_path_give_one_201_and_409s()
    {
        var project = NewProjectId();

        var statuses = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            using var response = await PostImageAsync(project, new { swr_path = "swr.example.com/team/app:1" });
            return response.StatusCode;
        }));

        Assert.That(statuses.Count(status => status == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(statuses.Count(status => status == HttpStatusCode.Conflict), Is.EqualTo(Clients - 1));
        Assert.That((await GetGroupsAsync(project)).Data.Single().VersionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Parallel_registers_of_new_versions_of_one_group_lose_none()
    {
        var project = NewProjectId();

        var statuses = await Task.WhenAll(Enumerable.Range(0, Clients * 4).Select(async i =>
        {
            using var response = await PostImageAsync(project, new { swr_path = $"swr.example.com/team/app:v{i}" });
            return response.StatusCode;
        }));

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Created));
        var group = (await GetGroupsAsync(project)).Data.Single();
        Assert.That(group.VersionCount, Is.EqualTo(Clients * 4));
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(Clients * 4));
    }
}
