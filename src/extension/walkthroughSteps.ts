// The Getting Started walkthrough's steps, each ticked by the context key that turns true when its action succeeded
// (package.json's completionEvents name the same keys; a unit test keeps the two equal).
export const WALKTHROUGH_ID = 'transfer-lab.transfer-lab#transferLab.gettingStarted';

export const WALKTHROUGH_STEP_OF_KEY = {
  'transferLab.hasExperiments': 'createSample',
  'transferLab.hasRuns': 'train',
  'transferLab.layersShown': 'layers',
  'transferLab.dashboardOpened': 'dashboard',
} as const;
