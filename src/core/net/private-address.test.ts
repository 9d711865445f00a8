import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { blockedAddressClass, isBlockedHostName } from './private-address.js';

describe('blockedAddressClass', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.100.100.200', 'shared (CGNAT)'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:169.254.169.254', 'link-local'],
    ['0:0:0:0:0:ffff:10.1.2.3', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
  ])('refuses %s as %s', (address, cls) => {
    expect(blockedAddressClass(address)).toBe(cls);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '169.253.1.1', '11.0.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:808:808::', '64:ff9b::808:808'])('allows the public address %s', (address) => {
    expect(blockedAddressClass(address)).toBeUndefined();
  });

  it.each(['example.com', '1.2.3', '256.1.1.1', '1.2.3.4.5', '::1::', '1::2::3', 'gggg::1', '1.2.3.4::', '1:2:3:4:5:6:7:8:9', '12345::1'])('treats %s as unparsable', (text) => {
    expect(isIP(text)).toBe(0); // the independent parser agrees
    expect(blockedAddressClass(text)).toBe('unparsable');
  });

  it('parses what node:net parses', () => {
    for (const text of ['1:2:3:4:5:6:7:8', '1::8', '::ffff:1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '2001:db8::', 'abcd:ef01::2345:6789']) {
      expect(isIP(text)).toBe(6);
      expect(blockedAddressClass(text)).not.toBe('unparsable');
    }
  });
});

describe('isBlockedHostName', () => {
  it.each(['localhost', 'LOCALHOST', 'localhost.', 'app.localhost', 'metadata.google.internal', 'metadata.google.internal.', 'metadata', 'instance-data.ec2.internal'])('refuses %s', (name) => {
    expect(isBlockedHostName(name)).toBe(true);
  });
  it.each(['example.com', 'localhost.example.com', 'metadata.example.com'])('allows %s', (name) => {
    expect(isBlockedHostName(name)).toBe(false);
  });
});
