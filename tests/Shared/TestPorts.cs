using System.Net;
using System.Net.Sockets;

namespace OrleansSpotify.Testing;

/// <summary>
/// A TCP port for a server a test starts a moment later (a silo, a gateway, Kestrel, Caddy). Not an ephemeral port:
/// one the kernel handed to a <c>bind(0)</c> is, once released, the kind it hands to the next outgoing connection
/// (an HttpClient to the fake Spotify, a browser's socket), and a server binding it a few milliseconds later found it
/// taken (<c>AddressInUseException</c> in a full run). Ports here come from below Linux's ephemeral range
/// (32768–60999), which outgoing connections never use; each is probed free before it is handed out, never handed out
/// twice by one process, and each process starts at a random place so that test processes running side by side walk
/// different ports.
/// </summary>
internal static class TestPorts
{
    private const int First = 20_000;
    private const int Count = 12_000;
    private static int _next = Random.Shared.Next(Count);

    public static int Free(IPAddress? address = null)
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + ((Interlocked.Increment(ref _next) & int.MaxValue) % Count);
            if (IsFree(address ?? IPAddress.Loopback, port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free TCP port in {First}–{First + Count - 1}.");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
