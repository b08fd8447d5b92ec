package dev.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255", "192.0.0.8",
            "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
            "::ffff:10.1.2.3", "::ffff:169.254.169.254", "fec0::1"})
    void anAddressOfThisMachineOrItsNetworksIsNotPublic(String address) throws Exception {
        assertThat(AddressPolicy.isPublic(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "93.184.216.34",
            "2606:4700:4700::1111", "::ffff:8.8.8.8"})
    void aPublicAddressIsPublic(String address) throws Exception {
        assertThat(AddressPolicy.isPublic(InetAddress.getByName(address))).isTrue();
    }

    @Test
    void aNameIsJudgedByWhatItResolvesTo() {
        assertThatThrownBy(() -> new AddressPolicy(false).resolve("localhost"))
                .isInstanceOf(AddressPolicy.Refused.class)
                .hasMessageStartingWith("its host localhost resolves to ")
                .hasMessageEndingWith("a loopback, private, link-local, multicast or unspecified address, which"
                        + " webhooks may not reach (PARLEY_WEBHOOK_ALLOW_PRIVATE=true allows it)");
    }

    @Test
    void theSettingLetsPrivateAddressesThrough() throws Exception {
        assertThat(new AddressPolicy(true).resolve("127.0.0.1")).containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        assertThatThrownBy(() -> new AddressPolicy(true).resolve("no-such-host.invalid"))
                .isInstanceOf(AddressPolicy.Refused.class)
                .hasMessage("its host no-such-host.invalid does not resolve to an address");
    }
}
