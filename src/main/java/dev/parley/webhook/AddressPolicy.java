package dev.parley.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses a delivery may connect to: none of this machine's or its networks' own
 * (loopback, private, carrier-grade NAT, link-local with the cloud metadata service, multicast,
 * unspecified, broadcast), unless {@code PARLEY_WEBHOOK_ALLOW_PRIVATE=true}. A name is checked
 * by every address it resolves to, at registration and again right before each connection, and
 * the connection is made to the address that was checked (so a name that changes its answer
 * between the check and the connect — DNS rebinding — gains nothing).
 */
public final class AddressPolicy {

    private final boolean allowPrivate;

    public AddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The addresses of the host, every one of them allowed; else a {@link Refused} saying why. */
    public List<InetAddress> resolve(String host) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("its host " + host + " does not resolve to an address");
        }
        for (InetAddress address : addresses) {
            if (!allowPrivate && !isPublic(address)) {
                throw new Refused("its host " + host + " resolves to " + address.getHostAddress()
                        + ", a loopback, private, link-local, multicast or unspecified address, which webhooks may"
                        + " not reach (PARLEY_WEBHOOK_ALLOW_PRIVATE=true allows it)");
            }
        }
        return List.of(addresses);
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first != 0 // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (bytes[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved, and the broadcast address
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (isMappedOrCompatible(bytes)) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** ::ffff:a.b.c.d and ::a.b.c.d carry an IPv4 address, judged as that address. */
    private static boolean isMappedOrCompatible(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) || (bytes[10] == 0 && bytes[11] == 0);
    }

    /** A URL whose host may not be reached, with the reason. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
