import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isForbiddenAddress } from '../../src/adapters/http/forbiddenAddress.ts';

const test = suite('forbidden addresses (SSRF)');

function assertEvery(addresses: readonly string[], forbidden: boolean): void {
  for (const address of addresses) assert.is(isForbiddenAddress(address), forbidden, address);
}

test('IPv4: private, loopback, link-local, CGNAT, multicast, reserved and unspecified are refused; public is not', () => {
  assertEvery(
    ['127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.51.100.7', '203.0.113.9'],
    true,
  );
  assertEvery(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '192.169.0.1', '11.0.0.1', '223.255.255.255'], false);
});

test('IPv4-compatible ::/96 is refused whole: ::127.0.0.1 in every spelling, and public IPv4 inside too', () => {
  assertEvery(['::127.0.0.1', '::7f00:1', '0:0:0:0:0:0:7f00:1', '0000:0000:0000:0000:0000:0000:127.0.0.1', '::10.0.0.1', '::8.8.8.8', '::', '::1', '::0.0.0.1'], true);
});

test('IPv4-mapped and -translated addresses are judged by the IPv4 inside, in every spelling', () => {
  assertEvery(['::ffff:127.0.0.1', '::ffff:7f00:1', '::FFFF:7F00:0001', '0:0:0:0:0:ffff:127.0.0.1', '::ffff:10.1.2.3', '::ffff:a9fe:a9fe', '::ffff:0:127.0.0.1', '::ffff:0:7f00:1'], true);
  assertEvery(['::ffff:8.8.8.8', '::ffff:808:808', '::ffff:0:8.8.8.8'], false);
});

test('NAT64 64:ff9b::/96 is judged by the IPv4 inside; the local-use 64:ff9b:1::/48 is refused whole', () => {
  assertEvery(['64:ff9b::127.0.0.1', '64:ff9b::7f00:1', '64:ff9b::10.0.0.1', '64:ff9b::192.168.0.1', '64:ff9b::169.254.169.254', '64:ff9b::a9fe:a9fe'], true);
  assertEvery(['64:ff9b::8.8.8.8', '64:ff9b::808:808'], false);
  assertEvery(['64:ff9b:1::8.8.8.8', '64:ff9b:1:ffff::1', '64:ff9b:1::'], true);
});

test('6to4 2002::/16 is judged by the IPv4 in its prefix', () => {
  assertEvery(['2002:7f00:1::', '2002:7f00:0001::1', '2002:a00:1::1', '2002:c0a8:101::1', '2002:a9fe:a9fe::1'], true);
  assertEvery(['2002:808:808::1'], false);
});

test('Teredo and the other IETF assignments, documentation, unique-local, link-local, site-local, multicast and discard are refused', () => {
  assertEvery(
    ['2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:2::1', '2001:10::1', '2001:20::1', '2001:db8::1', '3fff::1', '3fff:fff::1',
      'fc00::1', 'fd12:3456:789a::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', 'ff02::1', 'ff05::1:3', '100::1', '1::1', '4000::1'],
    true,
  );
});

test('global unicast IPv6 is allowed', () => {
  assertEvery(['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2001:4860:4860::8888', '2400:cb00::1', '3fff:1000::1'], false);
});

test('what is not an IP address is refused: it cannot be judged', () => {
  assertEvery(['localhost', '127.1', '0x7f000001', '', 'erp.example.com', '[::1]', '::ffff:999.0.0.1'], true);
});

test.run();
