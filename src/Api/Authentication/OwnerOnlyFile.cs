namespace ImageCatalog.Api.Authentication;

/// <summary>Writes a secret for the embedded mode (demo keys) where only the service's own user can read it.</summary>
public static class OwnerOnlyFile
{
    public static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
