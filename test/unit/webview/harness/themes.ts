// The --vscode-* variables four built-in themes set (values from VS Code's Dark Modern, Light Modern, High Contrast and
// High Contrast Light themes, for the variables Transfer Lab's webviews and @vscode-elements read).
export type ThemeName = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

const font = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px', '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", monospace', '--vscode-editor-font-size': '14px',
};

export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...font, '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc',
      '--vscode-sideBar-background': '#181818', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-errorForeground': '#f85149',
      '--vscode-focusBorder': '#0078d4', '--vscode-widget-border': '#313131', '--vscode-panel-border': '#2b2b2b',
      '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e', '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-list-inactiveSelectionBackground': '#37373d', '--vscode-list-focusOutline': '#0078d4',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1', '--vscode-button-border': '#ffffff12',
      '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc', '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-checkbox-background': '#313131', '--vscode-checkbox-border': '#3c3c3c', '--vscode-checkbox-foreground': '#cccccc',
      '--vscode-dropdown-background': '#313131', '--vscode-dropdown-border': '#3c3c3c', '--vscode-dropdown-foreground': '#cccccc', '--vscode-dropdown-listBackground': '#1f1f1f',
      '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c', '--vscode-input-placeholderForeground': '#989898',
      '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8', '--vscode-progressBar-background': '#0078d4',
      '--vscode-charts-foreground': '#cccccc', '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)', '--vscode-charts-red': '#f14c4c', '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7',
      '--vscode-textLink-foreground': '#4daafc', '--vscode-scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
      '--vscode-editorWidget-border': '#454545', '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)', '--vscode-list-highlightForeground': '#2aaaff',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...font, '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-sideBar-background': '#f8f8f8', '--vscode-descriptionForeground': '#3b3b3b', '--vscode-errorForeground': '#f85149',
      '--vscode-focusBorder': '#005fb8', '--vscode-widget-border': '#e5e5e5', '--vscode-panel-border': '#e5e5e5',
      '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-list-activeSelectionBackground': '#e8e8e8', '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-list-inactiveSelectionBackground': '#e4e6f1', '--vscode-list-focusOutline': '#005fb8',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8', '--vscode-button-border': '#0000001a',
      '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-checkbox-background': '#f8f8f8', '--vscode-checkbox-border': '#cecece', '--vscode-checkbox-foreground': '#3b3b3b',
      '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-border': '#cecece', '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-dropdown-listBackground': '#ffffff',
      '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece', '--vscode-input-placeholderForeground': '#767676',
      '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b', '--vscode-progressBar-background': '#005fb8',
      '--vscode-charts-foreground': '#616161', '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)', '--vscode-charts-red': '#e51400', '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#bf8803', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34', '--vscode-charts-purple': '#652d90',
      '--vscode-textLink-foreground': '#005fb8', '--vscode-scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
      '--vscode-editorWidget-border': '#c8c8c8', '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)', '--vscode-list-highlightForeground': '#0066bf',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...font, '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff',
      '--vscode-sideBar-background': '#000000', '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)', '--vscode-errorForeground': '#f48771',
      '--vscode-focusBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518', '--vscode-widget-border': '#6fc3df', '--vscode-panel-border': '#6fc3df',
      '--vscode-list-focusOutline': '#f38518', '--vscode-list-activeSelectionBackground': '#000000', '--vscode-list-inactiveSelectionBackground': '#000000',
      '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-checkbox-background': '#000000', '--vscode-checkbox-border': '#6fc3df', '--vscode-checkbox-foreground': '#ffffff',
      '--vscode-dropdown-background': '#000000', '--vscode-dropdown-border': '#6fc3df', '--vscode-dropdown-foreground': '#ffffff', '--vscode-dropdown-listBackground': '#000000',
      '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff', '--vscode-input-border': '#6fc3df', '--vscode-input-placeholderForeground': 'rgba(255, 255, 255, 0.7)',
      '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff', '--vscode-progressBar-background': '#6fc3df',
      '--vscode-charts-foreground': '#ffffff', '--vscode-charts-lines': 'rgba(255, 255, 255, 0.5)', '--vscode-charts-red': '#f14c4c', '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#ffd700', '--vscode-charts-orange': '#ff8c00', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7',
      '--vscode-textLink-foreground': '#21a6ff', '--vscode-scrollbarSlider-background': 'rgba(111, 195, 223, 0.6)',
      '--vscode-editorWidget-border': '#6fc3df', '--vscode-list-highlightForeground': '#f38518',
    },
  },
  'high-contrast-light': {
    bodyClass: 'vscode-high-contrast vscode-high-contrast-light',
    vars: {
      ...font, '--vscode-foreground': '#292929', '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#292929',
      '--vscode-sideBar-background': '#ffffff', '--vscode-descriptionForeground': '#292929', '--vscode-errorForeground': '#b5200d',
      '--vscode-focusBorder': '#006bbd', '--vscode-contrastBorder': '#0f4a85', '--vscode-contrastActiveBorder': '#006bbd', '--vscode-widget-border': '#0f4a85', '--vscode-panel-border': '#0f4a85',
      '--vscode-list-focusOutline': '#006bbd', '--vscode-list-activeSelectionBackground': '#ffffff', '--vscode-list-inactiveSelectionBackground': '#ffffff',
      '--vscode-button-background': '#0f4a85', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#0f4a85',
      '--vscode-button-secondaryBackground': '#ffffff', '--vscode-button-secondaryForeground': '#292929',
      '--vscode-checkbox-background': '#ffffff', '--vscode-checkbox-border': '#0f4a85', '--vscode-checkbox-foreground': '#292929',
      '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-border': '#0f4a85', '--vscode-dropdown-foreground': '#292929', '--vscode-dropdown-listBackground': '#ffffff',
      '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#292929', '--vscode-input-border': '#0f4a85', '--vscode-input-placeholderForeground': '#767676',
      '--vscode-badge-background': '#0f4a85', '--vscode-badge-foreground': '#ffffff', '--vscode-progressBar-background': '#0f4a85',
      // charts-orange is VS Code's minimap find-match colour, a dark blue here: close to charts-blue, so mistakes use charts-red
      '--vscode-charts-foreground': '#292929', '--vscode-charts-lines': 'rgba(41, 41, 41, 0.5)', '--vscode-charts-red': '#b5200d', '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#895503', '--vscode-charts-orange': '#0f4a85', '--vscode-charts-green': '#374e06', '--vscode-charts-purple': '#652d90',
      '--vscode-textLink-foreground': '#0f4a85', '--vscode-scrollbarSlider-background': 'rgba(15, 74, 133, 0.4)',
      '--vscode-editorWidget-border': '#0f4a85', '--vscode-list-highlightForeground': '#0f4a85',
    },
  },
};

// VS Code defines its settings-editor colours, which @vscode-elements reads, as these ones by default
const SETTINGS_COLORS: Record<string, string> = {
  'settings-dropdownBackground': 'dropdown-background', 'settings-dropdownForeground': 'dropdown-foreground', 'settings-dropdownBorder': 'dropdown-border',
  'settings-dropdownListBorder': 'editorWidget-border', 'settings-textInputBackground': 'input-background', 'settings-textInputForeground': 'input-foreground',
  'settings-textInputBorder': 'input-border', 'settings-checkboxBackground': 'checkbox-background', 'settings-checkboxForeground': 'checkbox-foreground',
  'settings-checkboxBorder': 'checkbox-border',
};
for (const { vars } of Object.values(THEMES)) for (const [name, from] of Object.entries(SETTINGS_COLORS)) vars[`--vscode-${name}`] = vars[`--vscode-${from}`];
