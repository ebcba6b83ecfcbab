// @ts-check
'use strict';

/**
 * Meitu Yunxiu Pro's `parameter.all_params` fields as Akool's reference page lists them
 * (jinjuezhou/mintlify-docs, ai-tools-suite/image-generate/meitu-yunxiu-parameters.mdx at
 * 420efb7515f1, "3. Complete `all_params` table"), in the page's order, one section per table.
 *
 * Notation: `@A..B` (integers from A to B) or `@A|B|C` (one of these integers) or `@<shape>` sets the
 * value rule of the names after it, until the next `@`. The section's `type` is the page's Type
 * column: `int` (one value for the whole image) or `list` (five values, one per people_type entry).
 * Shapes: bool; filter and sky (the page's `dict` objects); curve (flattened x/y points, 0..255);
 * rgba (the page's `[4]int`, each 0..255); makeup (five {id, color, alpha} items: the makeup
 * materials and hair_color); skin (five values of the skin-tone enum); any (a list without a
 * range on the page: eye_light_type_id).
 */
const SECTIONS = [
	{
		title: 'Global color',
		type: 'int',
		spec: `@0..100 aicolormatch_alpha @1|2|3|4|6|7|8 aicolormatch_type @0..100 awb_norm_coef awb_pure_coef
		@-100..100 color_calibration_green_hue_alpha color_calibration_green_sat_alpha
		color_calibration_red_hue_alpha color_calibration_red_sat_alpha
		color_calibration_blue_hue_alpha color_calibration_blue_sat_alpha color_grading_balance
		@0..100 color_grading_blend @bool color_grading_global_enable @0..359 color_grading_global_hue
		@0..100 color_grading_global_light color_grading_global_sat
		@bool color_grading_hightlight_enable @0..359 color_grading_hightlight_hue
		@0..100 color_grading_hightlight_light color_grading_hightlight_sat
		@bool color_grading_midtone_enable @0..359 color_grading_midtone_hue
		@0..100 color_grading_midtone_light color_grading_midtone_sat
		@bool color_grading_shadow_enable @0..359 color_grading_shadow_hue
		@0..100 color_grading_shadow_light color_grading_shadow_sat
		@-100..100 constrast @-500..500 exposure @-100..100 highlight @0..100 exposure_alpha
		@0..1 exposure_flag @-100..100 saturability shadow vibrance blackness whiteness sharpness
		@0..100 dehaze_coef film_granularity highpass_background_coef highpass_body_coef
		midpoint_adjustment @-100..100 vignette_adjustment @filter filter
		@-100..100 hsl_hue_aqua hsl_hue_blue hsl_hue_green hsl_hue_magenta hsl_hue_orange hsl_hue_red
		hsl_hue_violet hsl_hue_yellow hsl_luma_aqua hsl_luma_blue hsl_luma_green hsl_luma_magenta
		hsl_luma_orange hsl_luma_red hsl_luma_violet hsl_luma_yellow hsl_sat_aqua hsl_sat_blue
		hsl_sat_green hsl_sat_magenta hsl_sat_orange hsl_sat_red hsl_sat_violet hsl_sat_yellow
		temperature hue @curve gray_point red_point green_point blue_point`,
	},
	{
		title: 'Facial volume',
		type: 'list',
		spec: `@0..100 aegyosal_fill angulus_oris_fill apple_cheek_fillers brow_arch_fill chin_fillers
		eye_socket_fillers fore_head_fillers nose_fillers tear_trough jowl_fill fore_head_smooth
		perioral_smooth periorbital_smooth`,
	},
	{
		title: 'Blemish removal',
		type: 'list',
		spec: `@0..1 beauty_belly_alpha @0..100 double_chin face_restore_alpha flaw_clean_alpha
		lip_remove_alpha @0..1 makeup_protect nevus_removal_flag @0..100 remove_axillary_breast
		remove_pouch shiny_clean_alpha fleck_clean_flag skin_fleck_clean_flag
		wrinkle_cheek_removal_alpha wrinkle_forehead_removal_alpha wrinkle_nasolabial_removal_alpha
		wrinkle_neck_removal_alpha wrinkle_periorbital_removal_alpha`,
	},
	{
		title: 'Body reshaping',
		type: 'list',
		spec: `@-100..100 body_shape_chest_enlarge @0..100 body_shape_heighten body_shape_hunch_back
		body_shape_lengthen body_shape_right_shoulder body_shape_shrink_head @-100..100 body_shape_slim
		@0..100 body_shape_slim_belly @-100..100 body_shape_slim_hand body_shape_slim_hip
		@0..100 body_shape_slim_leg body_shape_slim_neck_left body_shape_slim_neck_right
		body_shape_slim_waist body_shape_swan_neck_left body_shape_swan_neck_right
		@-100..100 body_shape_thin_shoulders @0..100 multibody_beauty`,
	},
	{
		title: 'Face reshaping',
		type: 'list',
		spec: `@0..100 ai_shrink_head body_symmetry @-100..100 bottom_half_of_face cheekbone cheekbone_left
		cheekbone_right eye_distance eye_distance_left eye_distance_right eye_height eye_height_left
		eye_height_right eye_lid_left eye_lid_right bridge_nose eye_tilt_left eye_tilt_right eye_trans
		eye_trans_left eye_trans_right eye_up_down_left eye_up_down_right eye_width eye_width_left
		eye_width_right eyebrow_distance eyebrow_distance_left eyebrow_distance_right eyebrow_height
		eyebrow_height_left eyebrow_height_right eyebrow_ridge eyebrow_ridge_left eyebrow_ridge_right
		eyebrow_size eyebrow_size_left eyebrow_size_right eyebrow_tilt eyebrow_tilt_left
		eyebrow_tilt_right face_forehead face_trans @0..100 facial_contour
		@-100..100 inner_eye_corner_left inner_eye_corner_right high_mouth lowerlip_enhance
		mouth_breadth mouth_high mouth_smile mouth_tilted mouth_trans upperlip_enhance nasal_root
		nasal_tip nose_longer scale_nose shrink_nose jaw_trans mandible mandible_left mandible_right
		middle_half_of_face philtrum_warp @0..1 run_symmetry_list @0..100 face_symmetry
		@-100..100 narrow_face temple temple_left temple_right threed_left_right threed_up_down`,
	},
	{
		title: 'Eye enhancement',
		type: 'list',
		spec: `@0..100 bright_eye bright_eye_left bright_eye_right eye_light_alpha_left
		eye_light_alpha_right eye_light_h_flip_left eye_light_h_flip_right eye_light_rotate_left
		eye_light_rotate_right eye_light_size_left eye_light_size_right @any eye_light_type_id
		@0..100 eye_light_x_pos_left eye_light_x_pos_right eye_light_y_pos_left eye_light_y_pos_right
		reduce_glass_light reduce_redness`,
	},
	{
		title: 'Hair adjustment',
		type: 'list',
		spec: `@0..100 black_hair hairline_fill @makeup hair_color @0..100 broken_hair
		broken_hair_background_area broken_hair_hair_area @-100..100 fluffy_hair @0..100 smooth_hair`,
	},
	{
		title: 'Makeup',
		type: 'list',
		spec: `@0..100 eyebrow_deepen highlight_alpha eyeshadow_deepen facial_deepen lipstick_deepen
		shadow_light @makeup makeup_highlight eyeliner mouth facialdecals feature blush eye eyebrow
		eyelash eyeshadow eyesocket`,
	},
	{
		title: 'Skin tone',
		type: 'list',
		spec: `@0..100 face_balance_alpha face_beauty_alpha sharpen_alpha @-100..100 skin_color_hue_alpha
		@0..100 skin_color_lut_alpha @skin skin_color_lut_path @0..100 skin_hdr_alpha skin_red_alpha
		skin_tone_body_alpha skin_tone_face_alpha skin_tone_multiple_alpha skin_white_alpha
		smooth_face_skin_alpha @-100..100 smooth_face_skin_hight_alpha @0..100 smooth_face_skin_low_alpha
		smooth_not_face_skin_alpha @-100..100 smooth_not_face_skin_hight_alpha
		@0..100 smooth_not_face_skin_low_alpha`,
	},
	{ title: '- (face smoothing)', type: 'list', spec: '@0..100 malars_smooth' },
	{
		title: 'Skin retouching',
		type: 'list',
		spec: '@0..100 neutral_gray_enhance_alpha neutral_gray_smooth_alpha',
	},
	{
		title: 'Teeth enhancement',
		type: 'list',
		spec: `@0..1 teeth_beauty @0..100 teeth_clean_alpha white_teeth white_teeth_luminance
		white_teeth_remove_yellow`,
	},
	{
		title: 'Background adjustment',
		type: 'int',
		spec: '@0..100 radio background_detain_alpha @0..1 remove_background_mistake',
	},
	{
		title: 'ID photo background',
		type: 'int',
		spec: `@0..2 id_photo_bg_mode @rgba id_photo_bg_color id_photo_bg_dst_color
		@0..1 id_photo_gradient_type id_photo_fill_type`,
	},
	{ title: 'Sky replacement', type: 'int', spec: '@sky sky_background' },
	{ title: 'Clothing', type: 'int', spec: '@0..100 rmw_rink cloth_edge_smooth' },
];

/** `skin_color_lut_path`: original, cool, porcelain pink, warm, wheat, cocoa. */
const SKIN_TONES = Object.freeze(['', 'skin1.png', 'skin2.png', 'skin3.png', 'skin4.png', 'skin5.png']);

/**
 * The rule of one field.
 * @typedef {object} ParamRule
 * @property {'int' | 'list'} type the page's Type column (rgba, curve and the dicts are typed by `shape`)
 * @property {'number' | 'bool' | 'filter' | 'sky' | 'curve' | 'rgba' | 'makeup' | 'skin' | 'any'} shape
 * @property {number} [min] for shape number
 * @property {number} [max]
 * @property {readonly number[]} [oneOf] an integer enum instead of a range
 * @property {string} section
 */

/** @param {string} token the text after '@' @returns {Omit<ParamRule, 'type' | 'section'>} */
function ruleOf(token) {
	const range = /^(-?\d+)\.\.(-?\d+)$/.exec(token);
	if (range) return { shape: 'number', min: Number(range[1]), max: Number(range[2]) };
	if (/^\d+(\|\d+)+$/.test(token)) return { shape: 'number', oneOf: token.split('|').map(Number) };
	if (['bool', 'filter', 'sky', 'curve', 'rgba', 'makeup', 'skin', 'any'].includes(token))
		return { shape: /** @type {ParamRule['shape']} */ (token) };
	throw new Error(`meitu-params: bad rule @${token}`);
}

/** @returns {ReadonlyMap<string, Readonly<ParamRule>>} */
function buildTable() {
	/** @type {Map<string, Readonly<ParamRule>>} */
	const table = new Map();
	for (const { title, type, spec } of SECTIONS) {
		let rule = /** @type {Omit<ParamRule, 'type' | 'section'> | null} */ (null);
		for (const token of spec.split(/\s+/).filter(Boolean)) {
			if (token.startsWith('@')) rule = ruleOf(token.slice(1));
			else if (!rule || table.has(token)) throw new Error(`meitu-params: ${token} without a rule or twice`);
			else table.set(token, Object.freeze({ type: /** @type {'int' | 'list'} */ (type), section: title, ...rule }));
		}
	}
	return table;
}

/** Every documented `all_params` field → its rule. */
const MEITU_PARAMS = buildTable();

module.exports = { MEITU_PARAMS, SKIN_TONES };
