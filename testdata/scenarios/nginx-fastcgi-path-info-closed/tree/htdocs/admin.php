<?php // the admin script
