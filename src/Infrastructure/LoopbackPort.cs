using System.Net;
using System.Net.Sockets;

namespace ImageCatalog.Infrastructure;

/// <summary>A TCP port on 127.0.0.1 that is free now, for servers this process starts (PostgreSQL, the service).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
