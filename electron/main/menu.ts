// Turns the menu template (./policy/menu.ts) into Electron menu items, wiring each named command
// to the one function that carries commands out.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, MenuItemSpec } from './policy/menu.ts';

/** Electron's template for the spec; `run` receives each clicked item's command. */
export function toElectronTemplate(spec: readonly MenuItemSpec[], run: (command: MenuCommand) => void): MenuItemConstructorOptions[] {
  return spec.map((item): MenuItemConstructorOptions => {
    const out: MenuItemConstructorOptions = {};
    if (item.type) out.type = item.type;
    if (item.label !== undefined) out.label = item.label;
    if (item.role) out.role = item.role;
    if (item.accelerator) out.accelerator = item.accelerator;
    if (item.enabled !== undefined) out.enabled = item.enabled;
    if (item.submenu) out.submenu = toElectronTemplate(item.submenu, run);
    const command = item.command;
    if (command) out.click = () => run(command);
    return out;
  });
}
