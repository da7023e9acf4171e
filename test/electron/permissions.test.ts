import { describe, expect, it } from 'vitest';
import type { Session } from 'electron';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../../electron/main/policy/permissions.ts';

// Every permission name Electron 45's types list for the request handler (the type below makes the
// compiler check the list), plus a made-up one: the answer must not depend on the name.
type RequestedPermission = Parameters<NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>>[1];
const KNOWN: RequestedPermission[] = [
  'ar', 'automatic-fullscreen', 'background-fetch', 'background-sync', 'captured-surface-control', 'clipboard-read',
  'clipboard-sanitized-write', 'deprecated-sync-clipboard-read', 'display-capture', 'fileSystem', 'fullscreen', 'geolocation',
  'geolocation-approximate', 'hand-tracking', 'hid', 'idle-detection', 'keyboardLock', 'local-fonts',
  'local-network', 'local-network-access', 'loopback-network', 'media', 'mediaKeySystem', 'midi',
  'midiSysex', 'nfc', 'notifications', 'openExternal', 'payment-handler', 'periodic-background-sync',
  'persistent-storage', 'pointerLock', 'screen-wake-lock', 'sensors', 'serial', 'smart-card',
  'speaker-selection', 'storage-access', 'system-wake-lock', 'top-level-storage-access', 'usb', 'vr',
  'web-app-installation', 'web-printing', 'window-management', 'unknown',
];
const PERMISSIONS: string[] = [...KNOWN, 'some-future-permission'];

describe('permission handlers', () => {
  it.each(PERMISSIONS)('deny the request for %s, even from the app origin', (permission) => {
    expect(decidePermissionRequest(permission, 'app://resetpath/index.html')).toBe(false);
    expect(decidePermissionRequest(permission, 'https://evil.example/')).toBe(false);
  });

  it.each(PERMISSIONS)('report %s as not granted', (permission) => {
    expect(decidePermissionCheck(permission, 'app://resetpath')).toBe(false);
  });

  it('grant no HID, serial or USB device', () => {
    for (const device of ['hid', 'serial', 'usb', undefined]) expect(decideDevicePermission(device)).toBe(false);
  });
});
